package dev.wavoice.testkit.openai;

import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * Connections that see the peer's end of stream only after the bytes read before it are decoded.
 * Java-WebSocket decodes on worker threads but handles end of stream on its selector thread at once: a
 * client that sends its Close frame and then half-closes (the JDK's WebSocket does) was reported as an
 * abnormal close (1006) when the selector won that race, about one close in fifteen on a busy machine,
 * and the double then blamed the client for a close it did right. Here end of stream goes through the
 * connection's own worker queue, behind the Close frame.
 */
final class OrderedEndOfStream extends DefaultWebSocketServerFactory {

  /** The server's {@code queue(connection)}: hands a connection with input to its worker. */
  interface WorkerQueue {
    void queue(WebSocketImpl connection) throws InterruptedException;
  }

  private final WebSocketServer server;
  private final WorkerQueue workers;

  OrderedEndOfStream(WebSocketServer server, WorkerQueue workers) {
    this.server = server;
    this.workers = workers;
  }

  @Override
  public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
    return new Connection(a, List.of(d));
  }

  @Override
  public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> d) {
    return new Connection(a, d);
  }

  private final class Connection extends WebSocketImpl {

    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ByteBuffer endMarker;

    Connection(WebSocketAdapter listener, List<Draft> drafts) {
      super(listener, drafts);
    }

    /** Selector thread: queues the end behind the input read so far (once; the selector sees EOF until it closes). */
    @Override
    public void eot() {
      if (getWorkerThread() == null) {
        super.eot(); // nothing was ever read: nothing to wait for
        return;
      }
      SelectionKey key = getSelectionKey();
      try {
        if (key != null) {
          // EOF stays readable: do not spin on it. Atomic: a worker may add OP_WRITE at the same time
          key.interestOpsAnd(~SelectionKey.OP_READ);
        }
      } catch (CancelledKeyException closed) {
        return; // closed (and reported) meanwhile
      }
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      ByteBuffer marker = server.createBuffer(); // a pool-sized buffer: the worker returns it to the pool
      endMarker = marker;
      try {
        inQueue.put(marker);
        workers.queue(this);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        super.eot();
      }
    }

    /** Worker thread, in order: input, then the end. */
    @Override
    public void decode(ByteBuffer socketBuffer) {
      if (socketBuffer == endMarker) {
        super.eot();
      } else {
        super.decode(socketBuffer);
      }
    }
  }
}
