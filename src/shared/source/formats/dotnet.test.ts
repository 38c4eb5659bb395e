import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStackTrace } from '../stackTrace.ts';

// An ASP.NET Core controller whose repository fails, as .NET 8 prints it on Windows.
const ASYNC = `System.InvalidOperationException: Sequence contains no elements
 ---> System.Net.Sockets.SocketException (10061): No connection could be made because the target machine actively refused it.
   --- End of inner exception stack trace ---
   at System.Linq.ThrowHelper.ThrowNoElementsException()
   at System.Linq.Enumerable.First[TSource](IEnumerable\`1 source)
   at Users.Api.UserRepository.<FindAsync>d__3.MoveNext() in C:\\src\\Users.Api\\UserRepository.cs:line 42
--- End of stack trace from previous location ---
   at Users.Api.Controllers.UsersController.Get(Int32 id) in C:\\src\\Users.Api\\Controllers\\UsersController.cs:line 27
   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute(ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, Object[] arguments)
   at lambda_method5(Closure, Object)`;

test('frames with " in FILE:line N" link; frames without symbols name only the method', () => {
  const frames = parseStackTrace(ASYNC);
  assert.equal(frames.length, 10);
  assert.deepEqual(frames.slice(0, 3).map((f) => Object.keys(f)), [['raw'], ['raw'], ['raw']]);
  assert.deepEqual(frames[3], { raw: '   at System.Linq.ThrowHelper.ThrowNoElementsException()', function: 'System.Linq.ThrowHelper.ThrowNoElementsException', userCode: false });
  assert.equal(frames[4]!.function, 'System.Linq.Enumerable.First[TSource]');
  assert.deepEqual(frames[5]!.location, { path: 'C:\\src\\Users.Api\\UserRepository.cs', line: 42, function: 'Users.Api.UserRepository.<FindAsync>d__3.MoveNext' });
  assert.equal(frames[5]!.function, 'Users.Api.UserRepository.<FindAsync>d__3.MoveNext');
  assert.equal(frames[5]!.userCode, true);
  assert.deepEqual(frames[6], { raw: '--- End of stack trace from previous location ---' });
  assert.deepEqual(frames[7]!.location, { path: 'C:\\src\\Users.Api\\Controllers\\UsersController.cs', line: 27, function: 'Users.Api.Controllers.UsersController.Get' });
  assert.equal(frames[8]!.function, 'Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute');
  assert.equal(frames[9]!.function, 'lambda_method5');
});

test('Linux paths and Microsoft frames with files', () => {
  const [frame, aspnet] = parseStackTrace(
    '   at Users.Api.Program.<Main>$(String[] args) in /src/Users.Api/Program.cs:line 9\n' +
      '   at Microsoft.AspNetCore.Builder.WebApplication.Run(String url) in /_/src/DefaultBuilder/src/WebApplication.cs:line 130',
  );
  assert.deepEqual(frame!.location, { path: '/src/Users.Api/Program.cs', line: 9, function: 'Users.Api.Program.<Main>$' });
  assert.equal(frame!.function, 'Users.Api.Program.<Main>$');
  assert.equal(aspnet!.userCode, false);
});
