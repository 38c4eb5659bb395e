// Repeated strings (service names, span names) stored once and referred to by number.

export class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  /** Rough heap cost: the strings plus a map entry and an array slot for each. */
  memoryBytes = 0;

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
      this.memoryBytes += value.length + 80;
    }
    return id;
  }

  find(value: string): number | undefined {
    return this.ids.get(value);
  }

  get size(): number {
    return this.values.length;
  }

}
