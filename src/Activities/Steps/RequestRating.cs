using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Tasks;
using GovFlow.Activities.Services;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Steps;

/// <summary>
/// 好差评: invites the applicant to rate (1 非常满意 … 5 非常不满意). No rating within the period (default 7 natural
/// days) becomes 3 基本满意. A bad rating (4 or 5) starts the rectification loop: the responsible office verifies by
/// call-back, then rectifies, explains or appeals, gives feedback, and the applicant rates the fix.
/// </summary>
[Activity("GovFlow.RequestRating", "政务服务", "Request rating", DisplayNameZh = "好差评", Outcomes = ["Rated", "Rectified"])]
[Input("department", typeof(string), DisplayNameZh = "被评价部门")]
[Input("defaultAfterDays", typeof(int), DisplayNameZh = "默认好评期限（自然日）", DefaultValue = "7")]
[Input("rectifyWithinWorkingDays", typeof(int), DisplayNameZh = "整改期限（工作日）", DefaultValue = "5")]
[Output("level", typeof(int))]
public sealed class RequestRating(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <summary>Bookmark of the applicant's rating.</summary>
    public const string RatingBookmark = "GovFlow.Rating";

    /// <summary>Timer bookmark of the default rating.</summary>
    public const string DefaultBookmark = "GovFlow.RatingDefault";

    /// <summary>Bookmark of a rectification stage, done by the responsible office.</summary>
    public const string RectificationBookmark = "GovFlow.Rectification";

    /// <summary>The rectification stages in order.</summary>
    public static readonly IReadOnlyList<string> Stages = ["verify", "resolve", "feedback"];

    /// <summary>
    /// A stage of a poor rating's rectification (差评整改), done by the rated office: verifying and giving feedback
    /// are notes (done); the resolution stage chooses rectify, explain or appeal. Every stage needs its note.
    /// </summary>
    public static readonly TaskContract Rectification = new()
    {
        Bookmark = RectificationBookmark, DefaultStepName = "差评整改", Role = "reviewer",
        Actions =
        [
            TaskActionSpec.Stays("done", "已完成", "Done", OpinionRule.Required),
            TaskActionSpec.Stays("rectify", "整改", "Rectify", OpinionRule.Required),
            TaskActionSpec.Stays("explain", "解释说明", "Explain", OpinionRule.Required),
            TaskActionSpec.Stays("appeal", "申诉", "Appeal", OpinionRule.Required)
        ]
    };

    private static readonly string[] NoteActions = ["done"];
    private static readonly string[] ResolveActions = ["rectify", "explain", "appeal"];

    private readonly Input? _department = build.Input(node, "department");
    private readonly Input? _defaultAfter = build.Input(node, "defaultAfterDays");
    private readonly Input? _rectifyWithin = build.Input(node, "rectifyWithinWorkingDays");

    /// <inheritdoc />
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var file = context.Case();
        var input = file.Input;
        var matter = context.Matter();
        var days = context.Evaluate(_defaultAfter) as int? ?? matter?.Rating.DefaultAfterDays ?? 7;
        file.Edit(CaseParts.Rating, r =>
        {
            r.InvitedAt = context.Workflow.Now;
            r.Department = Department(context);
        });
        context.CallService("rating.invite", new RatingInvitation(input.CaseNumber, matter?.Name ?? "", Department(context), input.Applicant.Name, input.Applicant.Phone, input.Channel), then: "invited");
        context.CreateBookmark(RatingBookmark, new JsonObject { ["caseNumber"] = input.CaseNumber, ["rerate"] = false });
        context.CreateBookmark(DefaultBookmark, new JsonObject { ["defaultLevel"] = 3 }, context.Workflow.Now.AddDays(days));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override JsonNode? DescribeResume(Bookmark bookmark, object? input) => TaskContracts.Decision(bookmark, input);

    /// <inheritdoc />
    protected override void ValidateResume(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        if (bookmark.IsServiceCall()) return;
        var fields = StepInput.Fields(input);
        if (bookmark.Name == RatingBookmark)
        {
            if (Level(fields) is not (>= 1 and <= 5)) throw new BookmarkInputException("level", "评价等级为 1（非常满意）至 5（非常不满意）");
            if (StepInput.Text(fields, "comment") is { Length: > 500 }) throw new BookmarkInputException("comment", "评价内容不能超过 500 字");
        }
        else if (bookmark.Name == RectificationBookmark) Rectification.Check(bookmark, input);
    }

    /// <inheritdoc />
    protected override async ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        var file = context.Case();
        var fields = StepInput.Fields(input);
        var now = context.Workflow.Now;
        if (bookmark.IsServiceCall())
        {
            await ReplyAsync(context, bookmark, ServiceCalls.ReplyOf(input));
            return;
        }
        switch (bookmark.Name)
        {
            case DefaultBookmark:
                context.Workflow.RemoveBookmarks(context, b => b.Name == RatingBookmark);
                Record(file, 3, "逾期未评价，默认基本满意", "default", now, defaulted: true);
                context.SetOutput("level", 3);
                await context.CompleteAsync("Rated");
                return;
            case RatingBookmark:
                var level = Level(fields)!.Value;
                var rerate = bookmark.Payload?["rerate"]?.GetValue<bool>() == true;
                context.Workflow.RemoveBookmarks(context, b => b.Name == DefaultBookmark);
                if (rerate)
                {
                    file.Edit(CaseParts.Rating, r =>
                    {
                        r.Rectification!.Rerating = new Rerating { Level = level, Comment = StepInput.Text(fields, "comment"), At = now };
                        r.Rectification.ClosedAt = now;
                    });
                }
                else Record(file, level, StepInput.Text(fields, "comment"), StepInput.Text(fields, "channel") ?? file.Input.Channel, now, defaulted: false);
                context.SetOutput("level", level);
                // The national system must learn of the rating before the step ends: the report is delivered (and
                // retried) by the outbox, and the step goes on when it has been taken.
                context.CallService("rating.report", new { caseNumber = file.Input.CaseNumber, level, comment = StepInput.Text(fields, "comment"), rectified = rerate },
                    then: rerate ? "rectified" : level < 4 ? "rated" : "rectify");
                return;
            default: // rectification stage
                var stage = bookmark.Payload?["stage"]?.GetValue<string>() ?? "verify";
                var command = TaskCommand.From(input);
                var entry = new RectificationStage { Stage = stage, Note = command.Opinion, By = context.Workflow.Actor, At = now, Resolution = stage == "resolve" ? command.Action : null };
                file.Edit(CaseParts.Rating, r => r.Rectification!.Stages.Add(entry));
                context.Journal("Rectification", CaseFile.ToJson(entry));
                var next = Stages.SkipWhile(s => s != stage).Skip(1).FirstOrDefault();
                if (next != null) OpenStage(context, next);
                else context.CreateBookmark(RatingBookmark, new JsonObject { ["caseNumber"] = file.Input.CaseNumber, ["rerate"] = true });
                return;
        }
    }

    private void OpenStage(ActivityExecutionContext context, string stage)
    {
        var rectification = context.Case().Rating!.Rectification!;
        context.CreateBookmark(RectificationBookmark, new JsonObject
        {
            ["caseNumber"] = context.Case().Input.CaseNumber, ["stage"] = stage, ["stepName"] = stage switch { "verify" => "差评回访核实", "resolve" => "差评整改", _ => "整改反馈" },
            ["department"] = Department(context), ["dueAt"] = rectification.DueAt.ToString("O"),
            [TaskContract.OfferedProperty] = Rectification.Offer(this, only: stage == "resolve" ? ResolveActions : NoteActions)
        });
    }

    private string Department(ActivityExecutionContext context) => context.Evaluate(_department) as string ?? context.Matter()?.Department ?? "";

    private static int? Level(Dictionary<string, object?> fields) =>
        fields.GetValueOrDefault("level") switch { int i => i, long l => (int)l, double d when d == Math.Floor(d) => (int)d, string s when int.TryParse(s, out var p) => p, _ => null };

    private static void Record(CaseFile file, int level, string? comment, string channel, DateTimeOffset at, bool defaulted) =>
        file.Edit(CaseParts.Rating, r =>
        {
            r.Level = level;
            r.Comment = comment;
            r.Channel = channel;
            r.RatedAt = at;
            r.Defaulted = defaulted;
            r.Bad = level >= 4;
        });

    private async Task ReplyAsync(ActivityExecutionContext context, Bookmark call, ServiceReply reply)
    {
        var file = context.Case();
        switch (call.Then())
        {
            case "invited":
                file.Edit(CaseParts.Rating, r =>
                {
                    if (reply.Ok) r.Invitation = reply.Result?.DeepClone();
                    else r.InvitationError = reply.Error;
                });
                return;
            case "rectify":
                NoteReport(file, reply, context.Workflow.Now);
                var limit = context.Evaluate(_rectifyWithin) as int? ?? context.Matter()?.Rating.RectifyWithinWorkingDays ?? 5;
                var rectification = new Rectification { AssignedTo = Department(context), AssignedAt = context.Workflow.Now, DueAt = context.DueInWorkingDays(limit) };
                file.Edit(CaseParts.Rating, r => r.Rectification = rectification);
                OpenStage(context, "verify");
                return;
            default:
                NoteReport(file, reply, context.Workflow.Now);
                await context.CompleteAsync(call.Then() == "rectified" ? "Rectified" : "Rated");
                return;
        }
    }

    private static void NoteReport(CaseFile file, ServiceReply reply, DateTimeOffset now) =>
        file.Edit(CaseParts.Rating, r =>
        {
            if (reply.Ok) r.ReportedAt = now;
            else r.ReportError = reply.Error;
        });
}
