import { InvalidArgumentError } from "../errors";

/**
 * Parses JSON text like `JSON.parse`, but refuses an object that names one member
 * twice. `JSON.parse` silently keeps the last of two equal names, so two readers
 * of one certificate could see two different values; the verifiers refuse such a
 * file instead (docs/CERTIFICATE.md). Throws {@link InvalidArgumentError} with the
 * path of the duplicate, or the parser's own message for text that is not JSON.
 *
 * @example
 * parseJsonStrict('{"a":1}') // { a: 1 }
 * parseJsonStrict('{"a":1,"a":2}') // throws: duplicate member name "a" at $
 */
export function parseJsonStrict(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`not JSON: ${(error as Error).message}`);
  }
  const duplicate = findDuplicateMember(text);
  if (duplicate)
    throw new InvalidArgumentError(`duplicate member name ${JSON.stringify(duplicate.name)} at ${duplicate.path}`);
  return value;
}

/**
 * Scans text that `JSON.parse` accepted for an object naming a member twice.
 * Iterative (an explicit stack), so deeply nested input cannot overflow the call stack.
 */
function findDuplicateMember(text: string): { name: string; path: string } | undefined {
  // One frame per open object or array: the names seen so far (objects only) and the path.
  const stack: Array<{ names?: Set<string>; path: string; index: number; key?: string }> = [];
  let expectingKey = false;
  let i = 0;
  const pathOf = (frame: (typeof stack)[number] | undefined) => frame?.path ?? "$";
  const childPath = () => {
    const top = stack[stack.length - 1];
    if (!top) return "$";
    return top.names ? `${top.path}.${top.key}` : `${top.path}[${top.index}]`;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "{" || c === "[") {
      stack.push({ names: c === "{" ? new Set() : undefined, path: childPath(), index: 0 });
      expectingKey = c === "{";
      i++;
    } else if (c === "}" || c === "]") {
      stack.pop();
      expectingKey = false;
      i++;
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top.names) expectingKey = true;
      else top.index++;
      i++;
    } else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (expectingKey) {
        const top = stack[stack.length - 1];
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.names!.has(name)) return { name, path: pathOf(top) };
        top.names!.add(name);
        top.key = name;
        expectingKey = false;
      }
      i = end + 1;
    } else {
      i++;
    }
  }
  return undefined;
}
