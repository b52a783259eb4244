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
    private static IReadOnlyList<OfferedAction> Of(JsonNode? payload) => TaskContract.Offered(payload as JsonObject);

    /// <summary>
    /// The actions of each task, from their bookmarks in one query, with the handler a transfer may go to chosen
    /// from the users of the task's department and role (the activity knows the step; the host knows the people).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<OfferedAction>>> OfTasksAsync(GovFlowDb db, IReadOnlyCollection<TaskRecord> tasks, CancellationToken cancellationToken)
    {
        var ids = tasks.Select(t => t.Id).ToList();
        var payloads = await db.Bookmarks.AsNoTracking().Where(b => ids.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => b.PayloadJson, cancellationToken);
        var colleagues = await ColleaguesAsync(db, tasks, cancellationToken);
        return tasks.ToDictionary(t => t.Id, t => WithColleagues(Of(payloads.GetValueOrDefault(t.Id) is { } json ? JsonNode.Parse(json) : null), t, colleagues));
    }

    private static async Task<ILookup<(string? Department, string Role), string>> ColleaguesAsync(GovFlowDb db, IReadOnlyCollection<TaskRecord> tasks, CancellationToken cancellationToken)
    {
        var departments = tasks.Select(t => t.Department).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => departments.Contains(u.Department!)).OrderBy(u => u.UserName).Select(u => new { u.Department, u.Role, u.UserName }).ToListAsync(cancellationToken);
        return users.ToLookup(u => (u.Department, u.Role), u => u.UserName);
    }

    private static IReadOnlyList<OfferedAction> WithColleagues(IReadOnlyList<OfferedAction> actions, TaskRecord task, ILookup<(string? Department, string Role), string> colleagues) =>
        [.. actions.Select(a => a with
        {
            Fields = [.. a.Fields.Select(f => f.Name == TaskFields.Assignee && f.Choices is null
                ? f with { Choices = [.. colleagues[(task.Department, task.Role)].Where(u => u != task.Assignee)] }
                : f)]
        })];
}
