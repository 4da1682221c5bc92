package herald.bench;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Counts the DynamoDB read requests a client makes, and the items they read, as the SDK sees them. */
final class ReadCounter implements ExecutionInterceptor {

    final AtomicLong requests = new AtomicLong();
    final AtomicLong items = new AtomicLong();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        if (response instanceof QueryResponse) {
            requests.incrementAndGet();
            items.addAndGet(((QueryResponse) response).scannedCount());
        } else if (response instanceof GetItemResponse) {
            requests.incrementAndGet();
            items.addAndGet(((GetItemResponse) response).hasItem() ? 1 : 0);
        } else if (response instanceof BatchGetItemResponse) {
            requests.incrementAndGet();
            ((BatchGetItemResponse) response).responses().values().forEach(list -> items.addAndGet(list.size()));
        }
    }

    void reset() {
        requests.set(0);
        items.set(0);
    }
}
