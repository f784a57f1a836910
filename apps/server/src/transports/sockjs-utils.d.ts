// sockjs's helper module, whose quote() the SockJS transport memoizes (see sockjs.ts).
declare module 'sockjs/lib/utils.js' {
  const utils: { quote(message: string): string };
  export default utils;
}
