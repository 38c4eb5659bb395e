// The Profiles view: the list of profiles, or one profile as a flame graph (and its
// other views). Its state names the profile and the view of it, so a reload, a link or
// a custom editor reopens the same thing.

import type { View, ViewContext } from '../shell/view.ts';
import type { ViewState } from '../traces/traceFilters.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { ProfileList } from './profileList.ts';
import { ProfilePage } from './profilePage.ts';
import { profileStateFrom, profileStateTo, type ProfileState } from './profileState.ts';

export class ProfilesView implements View {
  readonly element = h('div', { class: 'profiles-view' });
  private readonly list: ProfileList;
  private page: ProfilePage | undefined;
  private state = profileStateFrom({});

  constructor(private readonly ctx: ViewContext) {
    this.list = new ProfileList(ctx, { open: (id) => this.open({ ...profileStateFrom({}), profile: id, label: this.state.label }, true) });
  }

  show(viewState: ViewState): void {
    this.state = profileStateFrom(viewState);
    if (typeof viewState.loading === 'string') {
      replaceChildren(this.element, h('div', { class: 'list-empty', attrs: { role: 'status' } }, `Loupe's engine is reading ${viewState.loading}…`));
      return;
    }
    if (typeof viewState.error === 'string') {
      // From the custom editor: the engine could not read the file.
      replaceChildren(this.element, h('div', { class: 'profile-error', attrs: { role: 'alert' } }, h('strong', null, 'Loupe could not open this profile. '), viewState.error));
      return;
    }
    if (this.state.profile) this.showProfile(this.state);
    else void this.showList();
  }

  dispose(): void {
    this.page?.dispose();
    this.list.dispose();
  }

  private open(state: ProfileState, push: boolean): void {
    this.state = state;
    this.ctx.save(profileStateTo(state), push);
    this.showProfile(state);
  }

  private showProfile(state: ProfileState): void {
    if (this.page?.id !== state.profile) {
      this.page?.dispose();
      this.page = new ProfilePage(this.ctx, state.profile, state, {
        back: () => {
          this.state = { ...profileStateFrom({}), traceId: this.state.traceId };
          this.ctx.save(profileStateTo(this.state), true);
          void this.showList();
        },
        changed: (s, push) => { this.state = s; this.ctx.save(profileStateTo(s), push); },
      });
    } else this.page.show(state);
    if (this.element.firstChild !== this.page.element) replaceChildren(this.element, this.page.element);
  }

  private async showList(): Promise<void> {
    this.page?.dispose();
    this.page = undefined;
    replaceChildren(this.element, this.list.element);
    const list = await this.list.refresh(this.state.traceId);
    // From a span: one profile holds its samples, so open it straight away.
    if (this.state.traceId && list.length === 1 && !this.page) this.open({ ...this.state, profile: list[0].id }, false);
  }
}
