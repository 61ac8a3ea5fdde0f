// Where a growing Markdown text can be cut so that everything before the cut is complete blocks that will not change:
// after the last blank line that is outside a fenced code block. The streaming view renders that prefix once and
// re-renders only the tail each frame; the finished message is rendered whole again, so any cross-block effect
// (reference links, loose lists) is exact in the end.

const fence = /^ {0,3}(`{3,}|~{3,})/;

export function stableSplit(text: string, from = 0): number {
  let open: string | null = null;
  let split = from;
  let lineStart = from;
  while (lineStart < text.length) {
    const nl = text.indexOf('\n', lineStart);
    if (nl === -1) break;
    const line = text.slice(lineStart, nl);
    const m = fence.exec(line);
    if (m) {
      const marker = m[1]!;
      if (open === null) open = marker;
      else if (marker[0] === open[0] && marker.length >= open.length && line.trim() === marker) open = null;
    } else if (open === null && line.trim() === '') {
      split = nl + 1;
    }
    lineStart = nl + 1;
  }
  return split;
}
