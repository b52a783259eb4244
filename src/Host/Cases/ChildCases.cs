using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Host.Persistence;
using GovFlow.Workflows.Activities;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Cases;

/// <summary>
/// 一件事一次办: a bundle case's flow starts each member matter with <c>Elsa.ExecuteWorkflow</c>, and each member becomes
/// a case of its own (own number, matter, department, limits, journal and result) linked to the bundle by
/// <see cref="CaseRecord.ParentCaseId"/>. The member is given the applicant's one application: the bundle's case input
/// with the member's own number and code, and only the materials the member's matter lists (shared ones were asked once).
/// A child workflow that is no service matter (a helper flow) stays part of its parent's case, as before.
/// </summary>
internal sealed class ChildCases(GovFlowDb db, MatterCatalog catalog, TimeProvider clock)
{
    /// <summary>The input field a member case reads its bundle from: the bundle's case number and release rule.</summary>
    public const string BundleField = "bundle";

    /// <summary>Stages the member's case row and gives its start the member's own case input; other children start as requested.</summary>
    public async ValueTask<StartWorkflowRequest> PrepareAsync(ChildWorkflowRequest request, WorkflowDefinition definition, StartWorkflowRequest start, CancellationToken cancellationToken)
    {
        if (StepServices.MatterOf(definition) is not { } matter) return start;
        if (await CaseOfInstanceAsync(request.ParentInstanceId, cancellationToken) is not { } bundle || bundle.MatterCode == matter.Code) return start;
        var now = clock.GetUtcNow();
        var number = $"{ChinaTime.Date(now):yyyyMMdd}{matter.Code[^5..]}{RandomNumberGenerator.GetInt32(0, 1_000_000):D6}";
        var instanceId = Guid.CreateVersion7().ToString("N");
        db.Cases.Add(new CaseRecord
        {
            Id = Guid.CreateVersion7().ToString("N"), CaseNumber = number, MatterCode = matter.Code, MatterName = matter.Name, Department = matter.Department,
            ApplicantName = bundle.ApplicantName, ApplicantIdType = bundle.ApplicantIdType, ApplicantIdNumber = bundle.ApplicantIdNumber,
            ApplicantPhone = bundle.ApplicantPhone, ApplicantAddress = bundle.ApplicantAddress, Channel = bundle.Channel, Hall = bundle.Hall,
            ReceivedAt = now, InstanceId = instanceId, ParentCaseId = bundle.Id, Stamp = CaseProjection.NewStamp()
        });
        var release = catalog.Find(bundle.MatterCode)?.Matter.Bundle?.Release ?? BundleRules.Together;
        var input = new Dictionary<string, object?>(start.Input ?? new Dictionary<string, object?>(), StringComparer.OrdinalIgnoreCase)
        {
            ["case"] = MemberInput(start.Input?.TryGetValue("case", out var given) == true ? given as IDictionary<string, object?> : null, bundle, matter, number, release)
        };
        var properties = new Dictionary<string, object?>(start.Properties ?? new Dictionary<string, object?>())
        {
            [CaseFile.PropertyName] = new JsonObject { ["status"] = CaseStatus.Received, ["receivedAt"] = now.ToString("O") }
        };
        return new StartWorkflowRequest { InstanceId = instanceId, Input = input, CorrelationId = number, Properties = properties };
    }

    // The bundle's application as the member sees it; a bundle flow that passes no case input hands on the applicant on the case row.
    private static Dictionary<string, object?> MemberInput(IDictionary<string, object?>? application, CaseRecord bundle, ServiceMatter matter, string number, string release)
    {
        var input = application is null
            ? new Dictionary<string, object?>
            {
                ["channel"] = bundle.Channel,
                ["applicant"] = new Dictionary<string, object?> { ["name"] = bundle.ApplicantName, ["idType"] = bundle.ApplicantIdType, ["idNumber"] = bundle.ApplicantIdNumber, ["phone"] = bundle.ApplicantPhone, ["address"] = bundle.ApplicantAddress },
                ["materials"] = new List<object?>(), ["data"] = new Dictionary<string, object?>()
            }
            : new Dictionary<string, object?>(application, StringComparer.OrdinalIgnoreCase);
        var names = matter.Materials.Select(m => m.Name).ToHashSet();
        input["caseNumber"] = number;
        input["matterCode"] = matter.Code;
        input["materials"] = (input.GetValueOrDefault("materials") as IEnumerable<object?> ?? [])
            .Where(m => m is IDictionary<string, object?> line && line.TryGetValue("name", out var name) && name is string n && names.Contains(n)).ToList();
        input[BundleField] = new Dictionary<string, object?> { ["caseNumber"] = bundle.CaseNumber, ["matterName"] = bundle.MatterName, ["release"] = release };
        return input;
    }

    // The parent may be a case being submitted in this same unit of work (staged, not yet stored).
    private async ValueTask<CaseRecord?> CaseOfInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (db.Cases.Local.FirstOrDefault(c => c.InstanceId == instanceId) is { } staged) return staged;
        var caseId = db.Instances.Local.FirstOrDefault(i => i.Id == instanceId)?.CaseId ?? (await db.Instances.FindAsync([instanceId], cancellationToken))?.CaseId;
        return caseId is null ? null : await db.Cases.FindAsync([caseId], cancellationToken);
    }
}
