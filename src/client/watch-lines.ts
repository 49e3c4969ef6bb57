/**
 * Splits a stream of text chunks into lines. Watch bodies are newline-delimited JSON, but a
 * transport may deliver several lines, or part of one, per chunk.
 */

/** Yields each complete line (without its newline); a trailing unterminated line is yielded at the end. */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += chunk;
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() !== '') yield line;
      nl = buffer.indexOf('\n');
    }
  }
  if (buffer.trim() !== '') yield buffer;
}
