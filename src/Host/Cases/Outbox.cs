using System.Text.Json.Nodes;
using GovFlow.Activities.Services;
using GovFlow.Host.Persistence;

namespace GovFlow.Host.Cases;

/// <summary>
/// Delivers the service calls steps stored as bookmarks, after their commit, under the bookmark id as idempotency
/// key, and resumes each call's step with the reply (a step of its own, through <c>resume</c>, which returns the calls it staged). Calls the reply leads to are delivered
/// too, up to a bound; the scheduler's sweep takes over the rest.
/// </summary>
internal sealed class Outbox(GovFlowDb db, ServiceCallDispatcher dispatcher, OutboxOptions options, TimeProvider clock, ILogger logger,
    Func<string, object?, string, CancellationToken, Task<IReadOnlyList<string>>> resume)
{
    // A flow that keeps asking for calls is left to the sweep after this many inline deliveries.
    private const int InlineDeliveries = 20;

    /// <summary>Backoff of undeliverable calls: 1, 2, 4 … minutes, at most an hour.</summary>
    public static TimeSpan RetryDelay(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Min(attempts, 7) - 1)));

    /// <summary>Delivers a committed step's calls now, or leaves them to the sweep when inline delivery is off.</summary>
    public Task DeliverAsync(IReadOnlyList<string> calls, CancellationToken cancellationToken) =>
        options.DeliverInline ? DeliverNowAsync(calls, cancellationToken) : Task.CompletedTask;

    /// <summary>Delivers calls now, and the calls their replies lead to, whatever the inline setting (the sweep uses it too).</summary>
    public async Task DeliverNowAsync(IReadOnlyList<string> calls, CancellationToken cancellationToken)
    {
        var queue = new Queue<string>(calls);
        for (var delivered = 0; delivered < InlineDeliveries && queue.TryDequeue(out var id); delivered++)
        {
            try
            {
                foreach (var next in await DeliverOneAsync(id, cancellationToken)) queue.Enqueue(next);
            }
            catch (ConflictException ex)
            {
                // Another node or request delivered it first; the service saw one call under this key.
                logger.LogDebug("Service call {Call} delivered elsewhere: {Reason}", id, ex.Message);
            }
            catch (NotFoundException)
            {
                // Gone with its step (the case moved on); nothing left to deliver.
            }
        }
    }

    private async Task<IReadOnlyList<string>> DeliverOneAsync(string bookmarkId, CancellationToken cancellationToken)
    {
        var bookmark = await db.Bookmarks.FindAsync([bookmarkId], cancellationToken) ?? throw new NotFoundException("该环节已不存在");
        if (bookmark.Name != ServiceCalls.BookmarkName) throw new InvalidOperationException($"Bookmark {bookmarkId} is not a service call.");
        var payload = JsonNode.Parse(bookmark.PayloadJson ?? "{}") as JsonObject ?? [];
        var outcome = await dispatcher.DeliverAsync(payload, bookmark.Id, cancellationToken);
        if (outcome.Reply is null)
        {
            bookmark.Attempts++;
            bookmark.LastError = outcome.RetryReason;
            bookmark.DueAt = clock.GetUtcNow() + RetryDelay(bookmark.Attempts);
            await CaseService.SaveOrConflictAsync(db, $"Service call {bookmarkId} changed meanwhile.", cancellationToken);
            logger.LogWarning("Service call {Call} not delivered (attempt {Attempt}), next try at {Due}: {Reason}", bookmarkId, bookmark.Attempts, bookmark.DueAt, outcome.RetryReason);
            return [];
        }
        if (CaseMessages.IsHostMessage(payload))
        {
            // No step waits for a host message: delivered (or refused, e.g. a bad number) it is done.
            if (!outcome.Reply.Ok) logger.LogWarning("Message {Call} refused: {Reason}", bookmarkId, outcome.Reply.Error);
            db.Bookmarks.Remove(bookmark);
            await CaseService.SaveOrConflictAsync(db, $"Service call {bookmarkId} changed meanwhile.", cancellationToken);
            return [];
        }
        // The reply's step is credited to whoever made the step that asked for the call.
        return await resume(bookmarkId, outcome.Reply.ToJson(), ServiceCalls.RequestedBy(payload) ?? "outbox", cancellationToken);
    }
}
