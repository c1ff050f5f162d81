/**
 * A writer to stdout or stderr that goes quiet once the reader has gone (`sightline search … |
 * head -1` closes the pipe after one line): later writes are dropped instead of ending in an
 * unhandled EPIPE. The command itself finishes normally, so an index is always closed cleanly.
 */
export function quietWhenClosed(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true;
    else throw error;
  });
  return (text) => {
    if (closed) return;
    try {
      stream.write(text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      closed = true;
    }
  };
}
