using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Tasks;

/// <summary>Whether an action needs the handler's opinion (办理意见).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OpinionRule>))]
public enum OpinionRule
{
    /// <summary>No opinion is asked for.</summary>
    [JsonStringEnumMemberName("none")] None,
    /// <summary>An opinion may be given.</summary>
    [JsonStringEnumMemberName("optional")] Optional,
    /// <summary>The action is refused without an opinion.</summary>
    [JsonStringEnumMemberName("required")] Required
}

/// <summary>A field an action asks for besides the opinion.</summary>
/// <param name="Name"><see cref="TaskFields.Materials"/>, <see cref="TaskFields.Assignee"/> or <see cref="TaskFields.ReturnTo"/>.</param>
/// <param name="Required">Whether the action is refused without it.</param>
/// <param name="Label">What the form calls it (zh-CN).</param>
public sealed record TaskField(string Name, bool Required, string Label);

/// <summary>The names of the fields a task command carries.</summary>
public static class TaskFields
{
    /// <summary>Materials: missing ones (补正) or supplied ones (补齐).</summary>
    public const string Materials = "materials";
    /// <summary>The handler a task is transferred to.</summary>
    public const string Assignee = "assignee";
    /// <summary>The earlier step a case is returned to.</summary>
    public const string ReturnTo = "returnTo";
    /// <summary>Working days: of an extension (延期), or a special procedure's expected duration.</summary>
    public const string Days = "days";
    /// <summary>Who approved an extension (the head of the administrative organ, 《行政许可法》第四十二条).</summary>
    public const string Approver = "approver";
    /// <summary>Which special procedure (听证, 检验, 专家评审, ...).</summary>
    public const string Procedure = "procedure";
}

/// <summary>One action of a task contract.</summary>
/// <param name="Name">What the command sends as <c>action</c>.</param>
/// <param name="Label">The button's words (zh-CN).</param>
/// <param name="LabelEn">The button's words in English.</param>
/// <param name="Outcome">
/// The activity outcome the action completes with, or null when the task stays with the activity (a transfer, a
/// correction that waits for the supplement, one member's answer). An action with an outcome is offered only where
/// the flow goes on from that outcome, unless <paramref name="EndsCase"/>.
/// </param>
/// <param name="Opinion">Whether an opinion is needed.</param>
/// <param name="Danger">Whether the action is irreversible for the applicant (shown as such).</param>
/// <param name="EndsCase">The action gives the case its final status itself, so an outcome that leads nowhere is a proper end.</param>
/// <param name="Fields">Further fields the action asks for.</param>
public sealed record TaskActionSpec(string Name, string Label, string LabelEn, string? Outcome, OpinionRule Opinion, bool Danger, bool EndsCase, IReadOnlyList<TaskField> Fields)
{
    /// <summary>An action that completes the activity with <paramref name="outcome"/>.</summary>
    public static TaskActionSpec Completes(string name, string label, string labelEn, string outcome, OpinionRule opinion, bool danger = false, bool endsCase = false, params TaskField[] fields) =>
        new(name, label, labelEn, outcome, opinion, danger, endsCase, fields);

    /// <summary>An action after which the activity keeps the case (it waits on, or reopens the task).</summary>
    public static TaskActionSpec Stays(string name, string label, string labelEn, OpinionRule opinion, bool danger = false, params TaskField[] fields) =>
        new(name, label, labelEn, null, opinion, danger, false, fields);
}

/// <summary>A field of an offered action, with the choices the case allows when there is a closed list.</summary>
/// <param name="Name">Field name.</param>
/// <param name="Required">Whether the action is refused without it.</param>
/// <param name="Label">Label (zh-CN).</param>
/// <param name="Choices">The values allowed, or null for free text.</param>
public sealed record OfferedField(string Name, bool Required, string Label, IReadOnlyList<string>? Choices);

/// <summary>An action a task offers now: what the inbox shows and the only actions the task accepts.</summary>
/// <param name="Name">What the command sends as <c>action</c>.</param>
/// <param name="Label">Label (zh-CN).</param>
/// <param name="LabelEn">Label in English.</param>
/// <param name="Opinion">Whether an opinion is needed.</param>
/// <param name="Danger">Whether the action is irreversible for the applicant.</param>
/// <param name="Fields">Further fields with their choices.</param>
public sealed record OfferedAction(string Name, string Label, string LabelEn, OpinionRule Opinion, bool Danger, IReadOnlyList<OfferedField> Fields);

/// <summary>
/// What a handler sends to complete a task. Every task activity reads this one shape, so the host passes it on
/// without knowing which activity waits.
/// </summary>
/// <param name="Action">The chosen action's name.</param>
/// <param name="Opinion">The handler's opinion.</param>
/// <param name="Assignee">The handler a task is transferred to.</param>
/// <param name="ReturnTo">The earlier step a case is returned to.</param>
/// <param name="Materials">Materials missing (correction) or supplied (supplement).</param>
/// <param name="Days">Working days of an extension or of a special procedure's expected duration.</param>
/// <param name="Approver">Who approved an extension.</param>
/// <param name="Procedure">Which special procedure starts.</param>
public sealed record TaskCommand(string? Action, string? Opinion = null, string? Assignee = null, string? ReturnTo = null, IReadOnlyList<string>? Materials = null,
    string? Days = null, string? Approver = null, string? Procedure = null)
{
    /// <summary>The command as bookmark resume input.</summary>
    public Dictionary<string, object?> ToInput() => new()
    {
        ["action"] = Action, ["opinion"] = Opinion, [TaskFields.Assignee] = Assignee, [TaskFields.ReturnTo] = ReturnTo,
        [TaskFields.Materials] = Materials?.Select(m => (object?)m).ToList(),
        [TaskFields.Days] = Days, [TaskFields.Approver] = Approver, [TaskFields.Procedure] = Procedure
    };

    /// <summary>
    /// The command as the journal keeps it: the action and every field that was given (read from <see cref="ToInput"/>,
    /// so a field added to the command is hashed with the decision too: an extension's days and approver).
    /// </summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["action"] = Action };
        foreach (var (name, value) in ToInput())
            if (name != "action" && value is not null && value is not List<object?> { Count: 0 })
                json[name] = Values.ToJson(value);
        return json;
    }

    /// <summary>Reads resume input (a command's dictionary) back; blank texts count as absent.</summary>
    public static TaskCommand From(object? input)
    {
        var f = input as IDictionary<string, object?> is { } d ? new Dictionary<string, object?>(d, StringComparer.OrdinalIgnoreCase) : new(StringComparer.OrdinalIgnoreCase);
        return new TaskCommand(Text(f, "action"), Text(f, "opinion"), Text(f, TaskFields.Assignee), Text(f, TaskFields.ReturnTo), List(f, TaskFields.Materials),
            Text(f, TaskFields.Days), Text(f, TaskFields.Approver), Text(f, TaskFields.Procedure));
    }

    private static string? Text(Dictionary<string, object?> f, string name) =>
        Values.ToText(f.GetValueOrDefault(name)) is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    private static IReadOnlyList<string> List(Dictionary<string, object?> f, string name) => f.GetValueOrDefault(name) switch
    {
        IEnumerable<object?> list when f[name] is not string => list.Select(Values.ToText).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).Distinct().ToList(),
        string s when !string.IsNullOrWhiteSpace(s) => [.. s.Split(['、', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()],
        _ => []
    };
}

/// <summary>
/// The contract of a human task (an inbox bookmark), declared by the activity that opens it: the bookmark's name,
/// the step name and role it defaults to, the actions it accepts with their fields, and the outcome each leads to.
/// The host, the API and the web UI learn a task's actions from here (through <see cref="Offer"/>) and nowhere else.
/// </summary>
public sealed class TaskContract
{
    private const int OpinionMaxLength = 2000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The bookmark name of the task.</summary>
    public required string Bookmark { get; init; }

    /// <summary>Step name shown when the activity gives none.</summary>
    public required string DefaultStepName { get; init; }

    /// <summary>The role that handles the task when the activity names none (window, reviewer, ...).</summary>
    public required string Role { get; init; }

    /// <summary>Every action the task type knows.</summary>
    public required IReadOnlyList<TaskActionSpec> Actions { get; init; }

    /// <summary>Payload property of the task bookmark that lists the actions offered.</summary>
    public const string OfferedProperty = "actions";

    /// <summary>
    /// The actions <paramref name="activity"/> offers now: those that keep the task with it, those whose outcome
    /// the flow goes on from, and those that end the case themselves. <paramref name="only"/> narrows them to a
    /// stage's actions; <paramref name="choices"/> gives a field's closed list (the matter's materials, the
    /// materials owed, the earlier steps). Stored in the bookmark's payload under <see cref="OfferedProperty"/>.
    /// </summary>
    public JsonArray Offer(Activity activity, IReadOnlyDictionary<string, IReadOnlyList<string>>? choices = null, IReadOnlyCollection<string>? only = null)
    {
        var offered = Actions
            .Where(a => only is null || only.Contains(a.Name))
            .Where(a => a.Outcome is null || a.EndsCase || activity.Continues(a.Outcome))
            .Select(a => new OfferedAction(a.Name, a.Label, a.LabelEn, a.Opinion, a.Danger,
                a.Fields.Select(f => new OfferedField(f.Name, f.Required, f.Label, choices?.GetValueOrDefault(f.Name))).ToList()));
        return (JsonArray)JsonSerializer.SerializeToNode(offered.ToList(), Json)!;
    }

    /// <summary>The actions a task bookmark offers, as stored by <see cref="Offer"/>.</summary>
    public static IReadOnlyList<OfferedAction> Offered(JsonObject? payload) =>
        payload?[OfferedProperty] is JsonArray a ? a.Deserialize<List<OfferedAction>>(Json) ?? [] : [];

    /// <summary>
    /// Checks a command against what the bookmark offers: the action must be one of them, with the opinion and
    /// fields it requires, and closed lists answered from their choices. Refuses with the field named, in Chinese.
    /// </summary>
    public TaskCommand Check(Bookmark bookmark, object? input)
    {
        var command = TaskCommand.From(input);
        var offered = Offered(bookmark.Payload);
        var names = string.Join("、", offered.Select(a => $"{a.Label}（{a.Name}）"));
        if (command.Action is null)
            throw new BookmarkInputException("action", offered.Count == 0 ? "此环节暂无可办理的操作" : $"请选择办理操作：{names}");
        var action = offered.FirstOrDefault(a => a.Name == command.Action)
                     ?? throw new BookmarkInputException("action", Actions.Any(a => a.Name == command.Action)
                         ? $"此环节不提供“{Actions.First(a => a.Name == command.Action).Label}”（{command.Action}）：流程中该结果没有后续环节。可选：{names}"
                         : $"“{command.Action}”不是此环节的办理操作。可选：{names}");
        if (action.Opinion == OpinionRule.Required && command.Opinion is null)
            throw new BookmarkInputException("opinion", $"“{action.Label}”须填写办理意见");
        if (command.Opinion is { Length: > OpinionMaxLength })
            throw new BookmarkInputException("opinion", $"办理意见不能超过 {OpinionMaxLength} 字");
        foreach (var field in action.Fields)
        {
            var values = field.Name == TaskFields.Materials ? command.Materials ?? [] : Value(command, field.Name) is { } v ? [v] : [];
            if (field.Required && values.Count == 0)
                throw new BookmarkInputException(field.Name, $"“{action.Label}”须填写{field.Label}");
            if (field.Choices is { } allowed && values.FirstOrDefault(v => !allowed.Contains(v)) is { } stray)
                throw new BookmarkInputException(field.Name, $"“{stray}”不在{field.Label}的可选范围内：{string.Join("、", allowed)}");
        }
        return command;
    }

    private static string? Value(TaskCommand c, string field) => field switch
    {
        TaskFields.Assignee => c.Assignee,
        TaskFields.ReturnTo => c.ReturnTo,
        TaskFields.Days => c.Days,
        TaskFields.Approver => c.Approver,
        TaskFields.Procedure => c.Procedure,
        _ => null
    };
}

/// <summary>Every task contract declared by GovFlow's activities, found by bookmark name.</summary>
public static class TaskContracts
{
    private static readonly Dictionary<string, TaskContract> ByBookmark = typeof(TaskContracts).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Activity)))
        .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
        .Where(f => f.FieldType == typeof(TaskContract))
        .Select(f => (TaskContract)f.GetValue(null)!)
        .ToDictionary(c => c.Bookmark, StringComparer.Ordinal);

    /// <summary>All contracts.</summary>
    public static IReadOnlyCollection<TaskContract> All => ByBookmark.Values;

    /// <summary>The contract of a bookmark, or null when the bookmark is no one's task (a timer, a service call).</summary>
    public static TaskContract? Find(string bookmarkName) => ByBookmark.GetValueOrDefault(bookmarkName);

    /// <summary>
    /// The decision a task's completion carries, for the hashed Resumed journal record; null
    /// when the bookmark is no one's task.
    /// </summary>
    public static JsonObject? Decision(Bookmark bookmark, object? input) => Find(bookmark.Name) is null ? null : TaskCommand.From(input).ToJson();
}
