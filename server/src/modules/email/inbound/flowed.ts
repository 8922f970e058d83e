// RFC 3676 format=flowed decoding that respects quote depth.
//
// mailparser's decoder (libmime.decodeFlowed) joins a soft-broken line with the next one whatever
// their quote depths, so Thunderbird's "> Hi <soft break>" + "Hello" became "> Hi Hello" and the
// reply vanished into the quote. Here a flowed line only continues into a line of the same depth
// (RFC 3676 §4.5), quote markers of continuation lines are removed, and space-stuffing is undone.

export function decodeFlowed(text: string, delSp: boolean): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let pending: string | null = null;
  let pendingDepth = 0;

  const emit = (depth: number, content: string): void => {
    out.push(depth ? '>'.repeat(depth) + (content ? ' ' + content : '') : content);
  };

  for (const line of lines) {
    let depth = 0;
    while (depth < line.length && line[depth] === '>') depth++;
    let content = line.slice(depth);
    if (content.startsWith(' ')) content = content.slice(1); // space-stuffing (or the space after ">")
    const signature = content === '-- ';
    const flowed = !signature && content.endsWith(' ');

    if (pending !== null) {
      if (depth === pendingDepth && !signature) {
        content = pending + content;
      } else {
        // a flowed line followed by a different depth is treated as fixed (RFC 3676 §4.5)
        emit(pendingDepth, pending.trimEnd());
      }
      pending = null;
    }
    if (flowed) {
      pending = delSp ? content.slice(0, -1) : content;
      pendingDepth = depth;
    } else {
      emit(depth, content);
    }
  }
  if (pending !== null) emit(pendingDepth, pending.trimEnd());
  return out.join('\n');
}
