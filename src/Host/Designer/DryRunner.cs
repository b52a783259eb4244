using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Services;
using GovFlow.Activities.Steps;
using GovFlow.Activities.Tasks;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Designer;

/// <summary>How far one dry run may go, so a hostile or looping definition costs the server little.</summary>
public sealed record DryRunLimits
{
    /// <summary>Steps (starts and resumes) of the flow at most.</summary>
    public int MaxSteps { get; init; } = 300;

    /// <summary>Simulated calendar days from the application at most.</summary>
    public int MaxDays { get; init; } = 400;

    /// <summary>
    /// Wall-clock time of the whole run at most. It is checked between steps: a step itself is bounded by
    /// <see cref="MaxActivityExecutionsPerStep"/> executions of at most <see cref="ScriptTimeLimit"/> of script each.
    /// </summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Activity executions one step may make (the host's own limit when that is lower).</summary>
    public int MaxActivityExecutionsPerStep { get; init; } = 1_000;

    /// <summary>Wall-clock time one script evaluation may take (the host's own limit when that is lower).</summary>
    public TimeSpan ScriptTimeLimit { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The defaults.</summary>
    public static DryRunLimits Default { get; } = new();
}

/// <summary>
/// 试运行: runs a definition (a draft, saved or not) in a fresh in-process engine, with a sample application, the
/// host's working calendar, expression settings and step limits, simulated outside services (certificates answered
/// from the simulated city, SMS, EMS and ratings recorded, never sent) and a clock that jumps to each decision and
/// timer. Nothing is written to the database, no case number is drawn and nothing goes through the outbox.
/// </summary>
/// <remarks>
/// Human tasks are decided from the request's decisions (see <see cref="DryRunRequest.Decisions"/>), by default with
/// their approving action one working day after they opened. The applicant rates 非常满意 at once, a waybill is
/// delivered the next day, and timers (deadlines, deemed decisions) fire when the clock reaches them.
/// </remarks>
public sealed class DryRunner(ActivityRegistry registry, WorkingCalendar calendar, ExpressionOptions expressions, StepLimits stepLimits, SimulatedWorld world, DryRunLimits? limits = null)
{
    private const string Handler = "试运行";
    private readonly DryRunLimits _limits = limits ?? DryRunLimits.Default;

    /// <summary>Runs <paramref name="definition"/> (already read and validated) on the application of <paramref name="request"/>.</summary>
    public async Task<DryRunResult> RunAsync(WorkflowDefinition definition, DryRunRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = request.StartAt ?? now;
        var clock = new JumpingClock(started);
        var services = new DryRunServices(world, clock, calendar);
        // Tighter than a case's own steps: a draft is untested, and a dry run holds a request thread while it runs.
        var steps = stepLimits with
        {
            MaxActivityExecutions = Math.Min(stepLimits.MaxActivityExecutions, _limits.MaxActivityExecutionsPerStep),
            MaxJournalRecords = Math.Min(stepLimits.MaxJournalRecords, 8 * _limits.MaxActivityExecutionsPerStep)
        };
        var scripts = expressions with { JavaScript = expressions.JavaScript with { TimeLimit = Min(expressions.JavaScript.TimeLimit, _limits.ScriptTimeLimit) } };
        var engine = new WorkflowEngine(registry, new WorkflowEngineOptions { Clock = clock, Services = services, Limits = steps, Expressions = scripts });
        var run = new Run(this, engine, clock, services, definition, request, started);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_limits.Budget);
        return await run.ExecuteAsync(budget.Token, cancellationToken);
    }

    private sealed class Run(DryRunner owner, WorkflowEngine engine, JumpingClock clock, DryRunServices services, WorkflowDefinition definition, DryRunRequest request, DateTimeOffset started)
    {
        private readonly Dictionary<string, DryRunTask> _tasks = [];
        private readonly List<string> _taskOrder = [];
        private readonly List<DryRunDecision> _decisions = [.. request.Decisions ?? []];
        private readonly HashSet<string> _topLevel = definition.Root?.Children("activities").Select(a => a.Id).ToHashSet() ?? [];
        private WorkflowState? _state;
        private int _steps;

        public async Task<DryRunResult> ExecuteAsync(CancellationToken budget, CancellationToken aborted)
        {
            DryRunStop stop;
            try
            {
                stop = await LoopAsync(budget);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                stop = new("limit", $"试运行超过 {owner._limits.Budget.TotalSeconds:0} 秒的运行时间上限，已停止", null);
            }
            catch (StepLimitExceededException ex)
            {
                stop = new("limit", $"流程一步之内执行的活动过多，已停止（{ex.Message}）", null);
            }
            catch (BookmarkInputException ex)
            {
                stop = new("invalidDecision", $"办理决定无效：{ex.Message}", null);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException or FormatException or System.Text.Json.JsonException)
            {
                // What a case's step would record as an incident: the draft's fault, told, not the server's.
                stop = new("faulted", $"流程出错，已停止：{ex.Message}", null);
            }
            return Result(stop);
        }

        private async Task<DryRunStop> LoopAsync(CancellationToken budget)
        {
            var application = Application();
            _state = await Step(budget, () => engine.StartAsync(definition, new StartWorkflowRequest
            {
                InstanceId = "dry-run", Input = new Dictionary<string, object?> { ["case"] = application }, CorrelationId = (string)application["caseNumber"]!,
                Properties = new Dictionary<string, object?> { [CaseFile.PropertyName] = new JsonObject { ["status"] = CaseStatus.Received, ["receivedAt"] = started.ToString("O") } }
            }, "window01"));
            while (true)
            {
                budget.ThrowIfCancellationRequested();
                var state = _state = engine.Instance(_state.Id)!;
                Notice(state);
                if (state.Status == WorkflowStatus.Finished)
                    return state.SubStatus == WorkflowSubStatus.Faulted ? Faulted(state) : new("finished", "流程已结束", null);
                if (state.SubStatus == WorkflowSubStatus.Faulted || state.Incidents.Count > 0) return Faulted(state);
                if (_steps >= owner._limits.MaxSteps) return new("limit", $"流程运行超过 {owner._limits.MaxSteps} 步，可能有循环，已停止", null);
                if (clock.GetUtcNow() - started > TimeSpan.FromDays(owner._limits.MaxDays))
                    return new("limit", $"模拟时间超过 {owner._limits.MaxDays} 天，已停止", null);

                if (state.Bookmarks.FirstOrDefault(b => b.IsServiceCall()) is { } call)
                {
                    var outcome = await new ServiceCallDispatcher(services).DeliverAsync(call.Payload!, call.Id, budget);
                    var reply = outcome.Reply ?? new ServiceReply(null, outcome.RetryReason ?? "服务不可用", Refused: false);
                    await Step(budget, () => engine.ResumeAsync(state.Id, call.Id, reply.ToJson(), "system"));
                    continue;
                }
                if (state.Bookmarks.FirstOrDefault(b => TaskContracts.Find(b.Name) is not null) is { } task)
                {
                    var (decision, stopped) = Decide(task);
                    if (stopped is not null) return stopped;
                    // A timer first (a reminder, a deadline) leaves the decision for the task, if the task is still open then.
                    if (await FireTimersBeforeAsync(state, decision!.At, budget)) continue;
                    if (decision.Given is not null) _decisions.Remove(decision.Given);
                    clock.JumpTo(decision.At);
                    var record = _tasks[task.Id];
                    _tasks[task.Id] = record with { Outcome = decision.Command.Action, OutcomeName = decision.Label, CompletedAt = decision.At };
                    await Step(budget, () => engine.ResumeAsync(state.Id, task.Id, decision.Command.ToInput(), Handler));
                    continue;
                }
                if (state.Bookmarks.FirstOrDefault(b => b.Name == RequestRating.RatingBookmark) is { } rating)
                {
                    await Step(budget, () => engine.ResumeAsync(state.Id, rating.Id, new Dictionary<string, object?> { ["level"] = 1, ["comment"] = "试运行：非常满意" }, "applicant"));
                    continue;
                }
                if (state.Bookmarks.FirstOrDefault(b => b.Name == SendByPost.TrackingBookmark) is { } waybill)
                {
                    var delivered = clock.GetUtcNow().AddDays(1);
                    if (await FireTimersBeforeAsync(state, delivered, budget)) continue;
                    clock.JumpTo(delivered);
                    await Step(budget, () => engine.ResumeAsync(state.Id, waybill.Id, new Dictionary<string, object?> { ["status"] = "delivered", ["detail"] = "已签收（模拟）" }, "system"));
                    continue;
                }
                if (state.Bookmarks.Where(b => b.DueAt is not null).MinBy(b => b.DueAt) is { } timer)
                {
                    await FireAsync(state, timer, budget);
                    continue;
                }
                var waiting = state.Bookmarks.FirstOrDefault();
                return new("waitingForEvent", waiting is null ? "流程没有结束，但也没有等待的环节" : $"流程在“{NameOf(waiting.ActivityId)}”等待外部事件（{waiting.Name}），试运行无法模拟", waiting?.ActivityId);
            }
        }

        // The scheduler fires a timer due before the handler decides first (a deemed decision, a lapsed deadline).
        private async Task<bool> FireTimersBeforeAsync(WorkflowState state, DateTimeOffset moment, CancellationToken budget)
        {
            if (state.Bookmarks.Where(b => b.DueAt is { } due && due <= moment).MinBy(b => b.DueAt) is not { } timer) return false;
            await FireAsync(state, timer, budget);
            return true;
        }

        private async Task FireAsync(WorkflowState state, Bookmark timer, CancellationToken budget)
        {
            clock.JumpTo(timer.DueAt!.Value);
            await Step(budget, () => engine.ResumeAsync(state.Id, timer.Id, null, "scheduler"));
        }

        private async Task<WorkflowState> Step(CancellationToken budget, Func<ValueTask<WorkflowState>> step)
        {
            budget.ThrowIfCancellationRequested();
            _steps++;
            // The engine's step is synchronous CPU work between awaits; a script is bounded by its own time limit.
            return await step();
        }

        private sealed record Decision(TaskCommand Command, string Label, DateTimeOffset At, DryRunDecision? Given);

        private (Decision? Decision, DryRunStop? Stop) Decide(Bookmark task)
        {
            var record = _tasks[task.Id];
            var given = _decisions.FirstOrDefault(d => d.Step is { Length: > 0 } s && (s == task.ActivityId || s == record.StepName || s == record.Name))
                        ?? _decisions.FirstOrDefault(d => string.IsNullOrEmpty(d.Step));
            var offered = TaskContract.Offered(task.Payload);
            var contract = TaskContracts.Find(task.Name)!;
            if (given is null && request.StopAtUndecided)
                return (null, new("waitingForDecision", $"“{record.StepName}”等待办理，没有给出办理决定", task.ActivityId));
            OfferedAction? action;
            if (given is null)
            {
                action = offered.FirstOrDefault(a => a.Name == ReviewActions.Approve)
                         ?? offered.FirstOrDefault(a => contract.Actions.Any(c => c.Name == a.Name && c.Outcome is not null && !c.Danger))
                         ?? offered.FirstOrDefault();
                if (action is null) return (null, new("waitingForDecision", $"“{record.StepName}”没有可办理的操作", task.ActivityId));
            }
            else
            {
                action = offered.FirstOrDefault(a => a.Name == given.Outcome)
                         ?? offered.FirstOrDefault(a => contract.Actions.Any(c => c.Name == a.Name && c.Outcome == given.Outcome));
                if (action is null)
                    return (null, new("invalidDecision", $"“{record.StepName}”不提供“{given.Outcome}”，可选：{string.Join("、", offered.Select(a => $"{a.Label}（{a.Name}）"))}", task.ActivityId));
            }
            var days = Math.Clamp(given?.AfterWorkingDays ?? 1, 0, 365);
            var at = AfterWorkingDays(record.CreatedAt, days);
            if (at < clock.GetUtcNow()) at = clock.GetUtcNow();
            return (new Decision(Command(action, given), action.Label, at, given), null);
        }

        // Required fields get the first choice offered (every material for a list of materials), so a default decision is always accepted.
        private static TaskCommand Command(OfferedAction action, DryRunDecision? given)
        {
            string? Pick(string field) => action.Fields.FirstOrDefault(f => f.Name == field) is { } f && (f.Required || field == TaskFields.ReturnTo)
                ? f.Choices?.FirstOrDefault() ?? (field == TaskFields.Days ? "1" : Handler)
                : null;
            var materials = action.Fields.FirstOrDefault(f => f.Name == TaskFields.Materials) is { Required: true } m ? m.Choices ?? [] : null;
            return new TaskCommand(action.Name, given?.Opinion ?? Handler, Pick(TaskFields.Assignee), given?.ReturnTo ?? Pick(TaskFields.ReturnTo), materials,
                Pick(TaskFields.Days), Pick(TaskFields.Approver), Pick(TaskFields.Procedure));
        }

        // A decision taken N working days after the task opened is taken at 10:00 of that working day (China time).
        private DateTimeOffset AfterWorkingDays(DateTimeOffset from, int days)
        {
            if (days == 0) return from.AddMinutes(30);
            var date = ChinaTime.Date(from);
            for (var left = days; left > 0;)
            {
                date = date.AddDays(1);
                if (owner.IsWorkingDay(date)) left--;
            }
            return ChinaTime.ToMoment(date.ToDateTime(new TimeOnly(10, 0)));
        }

        // Records each task as it opens, from its bookmark (the fields the inbox shows), and each the flow closed
        // itself (a deemed decision, a lapsed deadline, the case ending elsewhere).
        private void Notice(WorkflowState state)
        {
            var open = state.Bookmarks.Select(b => b.Id).ToHashSet();
            foreach (var id in _taskOrder.Where(id => !open.Contains(id) && _tasks[id].CompletedAt is null))
                _tasks[id] = _tasks[id] with { Outcome = "closedByFlow", OutcomeName = "由流程关闭", CompletedAt = clock.GetUtcNow() };
            foreach (var b in state.Bookmarks)
            {
                if (_tasks.ContainsKey(b.Id) || TaskContracts.Find(b.Name) is not { } contract) continue;
                var p = b.Payload ?? [];
                _tasks[b.Id] = new DryRunTask(b.ActivityId, NameOf(b.ActivityId), Text(p["stepName"]) ?? contract.DefaultStepName, b.Name,
                    Text(p["department"]) ?? MatterOf()?.Department, Text(p["role"]) ?? contract.Role, b.CreatedAt,
                    p["limitWorkingDays"] is JsonValue v && v.TryGetValue<int>(out var limit) ? limit : null,
                    ChinaTime.ParseMoment(p["dueAt"] ?? p["deadline"]), null, null, null);
                _taskOrder.Add(b.Id);
            }
        }

        private DryRunStop Faulted(WorkflowState state)
        {
            var incident = state.Incidents.LastOrDefault();
            return new("faulted", incident is null ? "流程出错，已停止" : $"“{NameOf(incident.ActivityId)}”出错：{incident.Message}", incident?.ActivityId);
        }

        private Dictionary<string, object?> Application()
        {
            var a = request.Application;
            var person = owner.SamplePerson();
            var applicant = a?.Applicant ?? [];
            var caseNumber = "SY" + ChinaTime.Date(started).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "000000";
            return new Dictionary<string, object?>
            {
                ["caseNumber"] = caseNumber, ["matterCode"] = MatterOf()?.Code, ["channel"] = a?.Channel ?? "window",
                ["applicant"] = new Dictionary<string, object?>
                {
                    ["name"] = Text(applicant["name"]) ?? person.Name, ["idType"] = Text(applicant["idType"]) ?? "111",
                    ["idNumber"] = Text(applicant["idNumber"])?.Trim().ToUpperInvariant() ?? person.IdNumber,
                    ["phone"] = Text(applicant["phone"]) ?? person.Phone, ["address"] = Text(applicant["address"]) ?? person.Address
                },
                ["materials"] = (a?.Materials ?? []).Select(m => (object?)new Dictionary<string, object?> { ["name"] = m, ["provided"] = true }).ToList(),
                ["data"] = (a?.Data ?? []).ToDictionary(p => p.Key, p => Values.FromJson(JsonNode.Parse(p.Value.GetRawText()))),
                ["acceptedBy"] = new Dictionary<string, object?> { ["user"] = "window01", ["department"] = MatterOf()?.Department }
            };
        }

        private ServiceMatter? MatterOf() => StepServices.MatterOf(definition);

        private string? NameOf(string activityId) =>
            definition.Root?.Descendants().FirstOrDefault(a => a.Id == activityId)?.Name ?? activityId;

        private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

        private DryRunResult Result(DryRunStop stop)
        {
            var state = _state is null ? null : engine.Instance(_state.Id);
            var journal = state is null ? [] : engine.JournalOf(state.Id);
            var file = CaseFile.Read(state?.Properties[CaseFile.PropertyName] as JsonObject ?? []);
            var now = clock.GetUtcNow();
            var status = state is null ? CaseStatus.Received : file.Status;
            var path = journal.Where(r => r.EventName == "Started" && _topLevel.Contains(r.ActivityId))
                .Select(r => new DryRunPathStep(r.ActivityId, r.ActivityName ?? NameOf(r.ActivityId), r.ActivityType, r.Timestamp)).ToList();
            DryRunDueDates dates;
            if (MatterOf() is { } matter)
            {
                var (promised, statutory, _) = CaseClock.DueDates(owner.Calendar, file.ReceivedAt ?? started, file.CompletedAt, matter, file.Pauses, file.Extensions, now);
                dates = new(promised, statutory, file.CompletedAt, promised is { } p ? (file.CompletedAt ?? now) <= p : null);
            }
            else dates = new(null, null, file.CompletedAt, null);
            return new DryRunResult(new DryRunStatus(status, StatusName(status)), stop, path, [.. _taskOrder.Select(id => _tasks[id])], dates,
                [.. journal.Select(r => new DryRunJournalEntry(r.Timestamp, ActorName(r.Actor), r.ActivityId, r.ActivityName, EventName(r.EventName), Detail(r)))],
                [.. services.Calls], started, now);
        }
    }

    private WorkingCalendar Calendar => calendar;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    // A date past the shipped holiday notices counts by the statute (weekends off), as the calendar does for due dates.
    private bool IsWorkingDay(DateOnly date)
    {
        try { return calendar.IsWorkingDay(date); }
        catch (CalendarYearMissingException) { return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday); }
    }

    private SimPerson SamplePerson() => world.People.FirstOrDefault(p => p.BirthDate.Year < 1946) ?? world.People[0];

    /// <summary>A case status in the hall's words.</summary>
    public static string StatusName(string status) => status switch
    {
        CaseStatus.Received => "已接件", CaseStatus.Accepted => "已受理", CaseStatus.InReview => "审查中", CaseStatus.Correction => "补正中",
        CaseStatus.Suspended => "中止", CaseStatus.Completed => "已办结", CaseStatus.CompletedWithTolerance => "容缺办结", CaseStatus.Refused => "不予许可",
        CaseStatus.NotAccepted => "不予受理", CaseStatus.Withdrawn => "已撤件", _ => status
    };

    private static string ActorName(string? actor) => actor switch
    {
        null or "" or "system" => "系统", "applicant" => "申请人", "scheduler" => "定时任务", "window01" => "窗口（试运行）", _ => actor
    };

    private static string EventName(string name) => name switch
    {
        "Started" => "开始", "Completed" => "完成", "Suspended" => "等待", "Resumed" => "继续", "Faulted" => "出错", "Canceled" => "取消", _ => name
    };

    private static string? Detail(JournalRecord r)
    {
        if (r.Message is { Length: > 0 } m) return m;
        if (r.Payload?["outcomes"] is JsonArray outcomes) return "结果：" + string.Join("、", outcomes.Select(o => OutcomeNames.Of(o?.ToString() ?? "")));
        if (r.Payload?["action"] is JsonValue action) return "办理：" + action;
        return null;
    }

    /// <summary>The clock of a dry run: it only moves forward, to the next decision or timer.</summary>
    private sealed class JumpingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now;
        public void JumpTo(DateTimeOffset at) { if (at > _now) _now = at; }
    }

    /// <summary>
    /// The simulators' behaviour in process: certificate lookups answer from the simulated city (read only: the
    /// library's use log is not written), SMS, EMS and ratings are recorded in the run's calls and sent nowhere.
    /// </summary>
    private sealed class DryRunServices(SimulatedWorld world, TimeProvider clock, WorkingCalendar calendar)
        : IServiceProvider, ICertificateService, IPopulationService, IMailingService, IRatingService, INotificationService, ICreditRecords
    {
        private int _serial;

        public List<DryRunCall> Calls { get; } = [];

        public object? GetService(Type serviceType) =>
            serviceType == typeof(WorkingCalendar) ? calendar
            : serviceType == typeof(ICertificateService) || serviceType == typeof(IPopulationService) || serviceType == typeof(IMailingService) || serviceType == typeof(IRatingService)
              || serviceType == typeof(INotificationService) || serviceType == typeof(ICreditRecords) ? this
            : null;

        public Task<IReadOnlyList<Certificate>> LookupAsync(CertificateQuery query, string? idempotencyKey = null, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(query.HolderCode) || string.IsNullOrWhiteSpace(query.CertificateType)) throw new ArgumentException("持证主体代码和证照类型代码必填");
            var found = world.Find(query.HolderCode, query.CertificateType);
            Record("电子证照库", "调取证照", $"证照类型 {query.CertificateType}，持证人 {query.HolderCode}，事由：{query.UseReason}；{(found.Count == 0 ? "未找到" : $"找到 {found.Count} 份（{string.Join("、", found.Select(c => c.Status == "issued" ? c.TypeName : $"{c.TypeName}，{c.Status}"))}）")}");
            return Task.FromResult(found);
        }

        public Task<Resident?> LookupAsync(ResidentQuery query, string? idempotencyKey = null, CancellationToken cancellationToken = default)
        {
            var found = world.Residents.GetValueOrDefault(query.IdNumber ?? "")?.On(ChinaTime.Date(clock.GetUtcNow()));
            Record("人口库", "核验人口信息", $"{query.IdNumber}，事由：{query.Reason}；{(found is null ? "未找到" : $"{found.Name}，{found.Age} 周岁，户籍{found.HukouCity}")}");
            return Task.FromResult(found);
        }

        public Task<IReadOnlyList<Resident>> SearchAsync(ResidentSearch search, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("A dry run looks up its own applicant only.");

        public Task<Certificate> IssueAsync(CertificateIssue issue, string? idempotencyKey = null, CancellationToken cancellationToken = default)
        {
            var today = ChinaTime.Date(clock.GetUtcNow());
            var c = new Certificate
            {
                Id = $"dry-run-{++_serial}", TypeCode = issue.TypeCode, TypeName = issue.TypeName, Number = $"SY{issue.TypeCode}{_serial:D8}", Issuer = issue.Issuer,
                IssuedOn = today, ValidFrom = today, ValidTo = issue.ValidYears is { } y ? today.AddYears(y) : null, HolderName = issue.HolderName, HolderCode = issue.HolderCode,
                HolderType = issue.HolderType, Status = "issued", Data = issue.Data
            };
            Record("电子证照库", "签发证照", $"{issue.TypeName}（{c.Number}），持证人 {issue.HolderName}");
            return Task.FromResult(c);
        }

        public Task<Waybill> CreateAsync(WaybillRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
        {
            if (!SendByPost.LooksDeliverable(request.ReceiverAddress) || request.ReceiverAddress.Contains("查无此地", StringComparison.Ordinal))
                throw new ArgumentException($"地址无法投递：{request.ReceiverAddress}");
            var number = $"EMS-SY{++_serial:D8}";
            Record("邮政寄递", "寄递下单", $"运单 {number}，收件人 {request.ReceiverName}，{request.ReceiverAddress}");
            return Task.FromResult(new Waybill(number, "created", "已下单（模拟）", clock.GetUtcNow()));
        }

        public Task<Waybill> TrackAsync(string number, CancellationToken cancellationToken = default) =>
            Task.FromResult(new Waybill(number, "delivered", "已签收（模拟）", clock.GetUtcNow()));

        public Task<IReadOnlyList<Waybill>> TrackManyAsync(IReadOnlyCollection<string> numbers, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Waybill>>([.. numbers.Select(n => new Waybill(n, "delivered", "已签收（模拟）", clock.GetUtcNow()))]);

        public Task<string> InviteAsync(RatingInvitation invitation, string? idempotencyKey = null, CancellationToken cancellationToken = default)
        {
            Record("好差评", "邀请评价", $"{invitation.RaterName}，{invitation.MatterName}");
            return Task.FromResult("INV-" + invitation.CaseNumber);
        }

        public Task ReportAsync(string caseNumber, int level, string? comment, bool rectified, string? idempotencyKey = null, CancellationToken cancellationToken = default)
        {
            if (level is < 1 or > 5) throw new ArgumentException("评价等级为1-5");
            Record("好差评", "上报评价", $"等级 {level}{(comment is null ? "" : $"，{comment}")}{(rectified ? "（整改后）" : "")}");
            return Task.CompletedTask;
        }

        public Task SendAsync(string phone, string message, string? idempotencyKey = null, CancellationToken cancellationToken = default)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(phone ?? "", @"^1[3-9]\d{9}$")) throw new ArgumentException($"手机号无效：{phone}");
            Record("短信平台", "发送短信", $"{phone}：{message}");
            return Task.CompletedTask;
        }

        // Only this run's own case exists, and it has broken no commitment before it started.
        public Task<bool> HasBrokenCommitmentAsync(string idNumber, CancellationToken cancellationToken = default) => Task.FromResult(false);

        private void Record(string service, string operation, string detail) => Calls.Add(new DryRunCall(clock.GetUtcNow(), service, operation, detail));
    }
}
