using GovFlow.Host.Persistence;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Cases;

/// <summary>One open case as a migration to a new version would find it.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="CaseNumber">Its number.</param>
/// <param name="FromVersion">The version it runs on now.</param>
/// <param name="Missing">The steps it is in that the new version lacks, by their names in its own version; it can move only when there are none.</param>
public sealed record MigrationCandidate(string CaseId, string CaseNumber, int FromVersion, IReadOnlyList<string> Missing)
{
    /// <summary>Whether the case can move.</summary>
    public bool Movable => Missing.Count == 0;
}

/// <summary>
/// Moving open cases to a new version is an explicit act of policy staff: a preview lists every open case of the
/// definition on another version and whether it can move; the move takes each movable case in its own commit,
/// journaled on the case, and refuses the ones waiting in an activity the version lacks.
/// </summary>
public sealed class CaseMigrations(GovFlowDb db, WorkflowCompiler compiler, CaseService cases, InMemoryWorkflowDefinitionStore definitions)
{
    /// <summary>The open cases of <paramref name="definitionId"/> not on <paramref name="target"/>, and whether each can move.</summary>
    public async Task<IReadOnlyList<MigrationCandidate>> PreviewAsync(string definitionId, WorkflowDefinition target, CancellationToken cancellationToken)
    {
        var workflow = compiler.CompileLenient(target);
        var running = WorkflowStatus.Running.ToString();
        var instances = await db.Instances.AsNoTracking()
            .Where(i => i.DefinitionId == definitionId && i.DefinitionVersionId != target.Id && i.Status == running && i.CaseId != null)
            .Join(db.Cases.AsNoTracking(), i => i.CaseId, c => c.Id, (i, c) => new { i.StateJson, i.DefinitionVersionId, c.Id, c.CaseNumber, c.InstanceId, InstanceId2 = i.Id })
            .Where(x => x.InstanceId == x.InstanceId2)
            .ToListAsync(cancellationToken);
        return [.. instances.Select(x =>
        {
            var state = WorkflowState.FromJson(x.StateJson);
            return new MigrationCandidate(x.Id, x.CaseNumber, state.DefinitionVersion, [.. WorkflowRunner.MissingIn(workflow, state).Select(id => StepName(x.DefinitionVersionId, id))]);
        }).OrderBy(c => c.CaseNumber, StringComparer.Ordinal)];
    }

    // Policy staff know a step by its name in the version the case runs on (the id when that version does not name it).
    private string StepName(string versionId, string activityId) =>
        definitions.ActivityName(versionId, activityId) ?? activityId;

    /// <summary>Moves the movable cases among <paramref name="caseIds"/> (all movable ones when null); returns those moved and those refused.</summary>
    public async Task<(IReadOnlyList<string> Moved, IReadOnlyList<MigrationCandidate> Refused)> MigrateAsync(string definitionId, WorkflowDefinition target, IReadOnlyCollection<string>? caseIds, string actor, CancellationToken cancellationToken)
    {
        var candidates = (await PreviewAsync(definitionId, target, cancellationToken)).Where(c => caseIds is null || caseIds.Contains(c.CaseId)).ToList();
        var moved = new List<string>();
        var refused = candidates.Where(c => !c.Movable).ToList();
        foreach (var c in candidates.Where(c => c.Movable))
        {
            var instanceId = await db.Cases.AsNoTracking().Where(r => r.Id == c.CaseId).Select(r => r.InstanceId).FirstAsync(cancellationToken);
            try
            {
                await cases.MigrateAsync(instanceId, target, actor, cancellationToken);
                moved.Add(c.CaseId);
            }
            catch (ConflictException ex)
            {
                refused.Add(c with { Missing = [ex.Message] });
            }
            db.ChangeTracker.Clear();
        }
        return (moved, refused);
    }
}
