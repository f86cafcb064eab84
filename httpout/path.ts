/**
 * The path GPAC's `httpout` serves for a request target.
 *
 * GPAC percent-decodes the target once, then joins the path (without its query) to an `rdirs`
 * folder and lets the file system resolve it: `//private/p.txt`, `/./private/p.txt`,
 * `/sub/../private/p.txt` and `/sub/%2e%2e/private/p.txt` all serve `private/p.txt`. Hooks must
 * judge that path, not the text of the request.
 *
 * @module
 */

/**
 * Normalises a percent-decoded request target the way the file system will read it: duplicate
 * slashes collapsed, `.` segments dropped, `..` segments resolved (never above the root). The
 * query (`?...`) is kept as is.
 */
export function normaliseRequestPath(target: string): string {
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  // nearly every request: nothing to resolve
  if (path.charCodeAt(0) === 0x2f && !path.includes("//") && !path.includes("/.")) return target;
  const query = q < 0 ? "" : target.slice(q);
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  const trailing = out.length > 0 && /\/\.{0,2}$/.test(path) ? "/" : "";
  return `/${out.join("/")}${trailing}${query}`;
}
