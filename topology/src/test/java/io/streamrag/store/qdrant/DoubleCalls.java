package io.streamrag.store.qdrant;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Answers a unary call of the double: the reply, or the Qdrant-style status the handler threw. */
final class DoubleCalls {

    private DoubleCalls() {
    }

    static <T> void respond(StreamObserver<T> observer, Supplier<T> handler) {
        T reply;
        try {
            reply = handler.get();
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        } catch (RuntimeException e) {
            observer.onError(Status.INTERNAL.withDescription("Qdrant double failed: " + e).withCause(e)
                    .asRuntimeException());
            return;
        }
        observer.onNext(reply);
        observer.onCompleted();
    }

    /** Qdrant reports the seconds each call took; the double answers instantly. */
    static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
