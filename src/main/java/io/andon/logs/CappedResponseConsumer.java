package io.andon.logs;

import org.apache.http.ContentTooLongException;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.ContentDecoder;
import org.apache.http.nio.IOControl;
import org.apache.http.nio.protocol.AbstractAsyncResponseConsumer;
import org.apache.http.protocol.HttpContext;
import org.elasticsearch.client.HttpAsyncResponseConsumerFactory;

import java.io.IOException;

/**
 * Buffers an Elasticsearch answer up to a limit, whatever its framing. The low-level client's own heap consumer
 * checks only a declared Content-Length: a chunked or close-delimited 50 MB answer was buffered whole. Here the
 * count is checked as the bytes arrive, and the exchange fails (its connection closed) once past the limit.
 */
final class CappedResponseConsumer extends AbstractAsyncResponseConsumer<HttpResponse> {
    private final long limit;
    private final java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(16 * 1024);
    private volatile HttpResponse response;
    private volatile HttpEntity original;
    private volatile java.io.ByteArrayOutputStream body;

    CappedResponseConsumer(long limit) { this.limit = limit; }

    static HttpAsyncResponseConsumerFactory factory(long limit) {
        return () -> new CappedResponseConsumer(limit);
    }

    private ContentTooLongException tooLong(long len) {
        return new ContentTooLongException("entity content is too long [" + len + "] for the configured buffer limit [" + limit + "]");
    }

    @Override
    protected void onResponseReceived(HttpResponse r) { this.response = r; }

    @Override
    protected void onEntityEnclosed(HttpEntity entity, ContentType contentType) throws IOException {
        long len = entity.getContentLength();
        if (len > limit) throw tooLong(len);
        this.original = entity;
        // start small: an unknown length grows as it arrives (and stops at the limit)
        this.body = new java.io.ByteArrayOutputStream((int) (len < 0 ? 4096 : Math.max(len, 1)));
    }

    @Override
    protected void onContentReceived(ContentDecoder decoder, IOControl ioctrl) throws IOException {
        // chunk by chunk with the count checked each time: a fast sender must not get past the limit in one call
        int n;
        while ((n = decoder.read(chunk)) > 0) {
            body.write(chunk.array(), 0, n);
            chunk.clear();
            if (body.size() > limit) throw tooLong(body.size());
        }
        chunk.clear();
    }

    @Override
    protected HttpResponse buildResult(HttpContext context) {
        if (original != null) {
            org.apache.http.entity.ByteArrayEntity e = new org.apache.http.entity.ByteArrayEntity(body.toByteArray());
            e.setContentType(original.getContentType());
            e.setContentEncoding(original.getContentEncoding());
            response.setEntity(e);
        }
        return response;
    }

    @Override
    protected void releaseResources() {
        response = null;
        original = null;
        body = null;
    }
}
