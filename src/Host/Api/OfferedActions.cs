using System.Text.Json.Nodes;
using GovFlow.Activities.Tasks;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>
/// The actions a task offers now, read from its bookmark (a task's id is its bookmark's id): the one place the
/// inbox and the case view learn them, so both always show what completing the task accepts.
/// </summary>
internal static class OfferedActions
{
    /// <summary>The actions stored in a task bookmark's payload (none for a bookmark that is gone).</summary>
    public static IReadOnlyList<OfferedAction> Of(JsonNode? payload) => TaskContract.Offered(payload as JsonObject);

    /// <summary>The actions of each task, from their bookmarks in one query.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<OfferedAction>>> OfTasksAsync(GovFlowDb db, IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        var payloads = await db.Bookmarks.AsNoTracking().Where(b => taskIds.Contains(b.Id)).Select(b => new { b.Id, b.PayloadJson }).ToListAsync(cancellationToken);
        return payloads.ToDictionary(b => b.Id, b => Of(b.PayloadJson is { } json ? JsonNode.Parse(json) : null));
    }
}
