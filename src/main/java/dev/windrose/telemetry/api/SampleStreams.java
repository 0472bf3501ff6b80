package dev.windrose.telemetry.api;

import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.Subscription;
import dev.windrose.telemetry.TelemetryService;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open sample streams. The sampler only drops each sample into a stream's small queue (never
 * waiting on a network write); a virtual thread per stream sends them. A client too slow for the
 * queue loses the oldest samples, not the sampler its pace. A comment every 15 s of silence finds
 * clients that went away.
 */
@Component
class SampleStreams implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SampleStreams.class);
    private static final int BACKLOG = 16;
    /** Zero: the servlet container never times the stream out (its default would end it after 30 s). */
    private static final long NO_TIMEOUT = 0L;
    private static final long KEEP_ALIVE_SECONDS = 15;

    private final TelemetryService telemetry;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    SampleStreams(TelemetryService telemetry) {
        this.telemetry = telemetry;
    }

    /** Opens a stream for the current request's (signed-in) client, starting with {@code first} if there is one. */
    SseEmitter open(@Nullable ClusterSample first) {
        SseEmitter emitter = new SseEmitter(NO_TIMEOUT);
        Stream stream = new Stream(emitter);
        if (first != null) {
            stream.offer(first);
        }
        stream.subscription = telemetry.subscribe(stream::offer);
        emitter.onCompletion(stream::close);
        emitter.onTimeout(stream::close);
        emitter.onError(error -> stream.close());
        open.add(stream);
        Thread.ofVirtual().name("sample-stream").start(stream::send);
        return emitter;
    }

    int openStreams() {
        return open.size();
    }

    @Override
    public void destroy() {
        open.forEach(stream -> {
            stream.close();
            stream.emitter.complete();
        });
    }

    private final class Stream {
        final SseEmitter emitter;
        final BlockingQueue<ClusterSample> queue = new ArrayBlockingQueue<>(BACKLOG);
        volatile @Nullable Subscription subscription;
        volatile boolean closed;

        Stream(SseEmitter emitter) {
            this.emitter = emitter;
        }

        void offer(ClusterSample sample) {
            while (!queue.offer(sample)) {
                queue.poll();
            }
        }

        void send() {
            try {
                while (!closed) {
                    ClusterSample sample = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                    if (sample == null) {
                        emitter.send(SseEmitter.event().comment("keep-alive"));
                    } else {
                        emitter.send(SseEmitter.event().name("sample").id(sample.timestamp().toString())
                                .data(sample, MediaType.APPLICATION_JSON));
                    }
                }
            } catch (IOException | IllegalStateException gone) {
                // The client went away (or the request ended): stop sending.
                log.debug("Sample stream closed: {}", gone.toString());
                emitter.completeWithError(gone);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        void close() {
            closed = true;
            Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
            open.remove(this);
        }
    }
}
