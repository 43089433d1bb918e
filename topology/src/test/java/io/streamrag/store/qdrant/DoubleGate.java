package io.streamrag.store.qdrant;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every call meets before a service: the simulated outage (UNAVAILABLE, as a client sees a Qdrant that is down
 * or restarting) and the API key check (Qdrant answers UNAUTHENTICATED without a key and PERMISSION_DENIED for a
 * wrong one; health checks need none). Counts calls per method for assertions.
 */
final class DoubleGate implements ServerInterceptor {

    static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AtomicInteger failNext = new AtomicInteger();
    private volatile boolean available = true;
    private volatile Status.Code outageCode = Status.Code.UNAVAILABLE;
    private volatile String apiKey;
    private final AtomicLong rejected = new AtomicLong();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    void failNextCalls(int count, Status.Code code) {
        outageCode = code;
        failNext.set(count);
    }

    void setAvailable(boolean up) {
        available = up;
    }

    void requireApiKey(String key) {
        apiKey = key;
    }

    long rejectedCalls() {
        return rejected.get();
    }

    long calls(String method) {
        AtomicLong count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        calls.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
        Status refusal = refusal(method, headers);
        if (refusal != null) {
            rejected.incrementAndGet();
            call.close(refusal, new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }

    private Status refusal(String method, Metadata headers) {
        if (!available) {
            return Status.UNAVAILABLE.withDescription("Qdrant double: simulated outage");
        }
        if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return Status.fromCode(outageCode).withDescription("Qdrant double: simulated transient failure");
        }
        String key = apiKey;
        if (key == null || isHealthCheck(method)) {
            return null;
        }
        String sent = headers.get(API_KEY);
        if (sent == null) {
            String bearer = headers.get(AUTHORIZATION);
            sent = bearer != null && bearer.startsWith("Bearer ") ? bearer.substring("Bearer ".length()) : null;
        }
        if (sent == null) {
            return Status.UNAUTHENTICATED.withDescription("Must provide an API key or an Authorization bearer token");
        }
        if (!sent.equals(key)) {
            return Status.PERMISSION_DENIED.withDescription("Invalid API key or JWT");
        }
        return null;
    }

    private static boolean isHealthCheck(String method) {
        return method.equals("qdrant.Qdrant/HealthCheck") || method.equals("grpc.health.v1.Health/Check");
    }
}
