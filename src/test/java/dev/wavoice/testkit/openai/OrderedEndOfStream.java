package dev.wavoice.testkit.openai;

import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;
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

  /** The answer to give a connection instead of the upgrade, or null to go on with it. */
  interface Refusals {
    UpgradeRefusal next();
  }

  private final WebSocketServer server;
  private final WorkerQueue workers;
  private final Refusals refusals;

  OrderedEndOfStream(WebSocketServer server, WorkerQueue workers, Refusals refusals) {
    this.server = server;
    this.workers = workers;
    this.refusals = refusals;
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
    /** Worker thread only: whether the upgrade was looked at, and refused. */
    private boolean upgradeSeen;
    private boolean refused;

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
        return;
      }
      if (!upgradeSeen && getReadyState() == ReadyState.NOT_YET_CONNECTED) {
        upgradeSeen = true;
        UpgradeRefusal refusal = refusals.next();
        if (refusal != null) {
          // an HTTP answer instead of 101 (the library itself only answers 404 or 500), then the close
          refused = true;
          outQueue.add(ByteBuffer.wrap(refusal.httpResponse()));
          flushAndClose(CloseFrame.NEVER_CONNECTED, "upgrade refused with HTTP " + refusal.status(), false);
          server.onWriteDemand(this);
        }
      }
      if (refused) {
        socketBuffer.position(socketBuffer.limit()); // the rest of the request is not read
        return;
      }
      super.decode(socketBuffer);
    }
  }
}
