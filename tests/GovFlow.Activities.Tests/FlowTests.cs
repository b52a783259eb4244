using GovFlow.Activities.Services;
using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Steps;
using GovFlow.Activities.Tasks;
using GovFlow.Workflows.Runtime;
using static GovFlow.Activities.Tests.Harness;

namespace GovFlow.Activities.Tests;

/// <summary>Each feature as a real matter flow from workflows-json/, run end to end by the engine.</summary>
[TestFixture]
public class FlowTests
{
    private static readonly string[] ElderlyPaper = ["高龄津贴申请书", "居民身份证", "银行卡", "照片"];

    [Test]
    public async Task Certificate_free_elderly_allowance_from_acceptance_to_rating()
    {
        var h = new Harness();
        var who = People.Next(1940);
        h.Certificates.Give(who.IdNumber, "111");
        h.Certificates.Give(who.IdNumber, "112");
        var state = await h.StartAsync("44030505001", People.Case("44030505001", ElderlyPaper, new() { ["age"] = 86, ["onMinimumAllowance"] = false }, who));

        var file = h.CaseFile(state);
        Assert.Multiple(() =>
        {
            Assert.That(file["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.InReview));
            var hukou = file["checklist"]!.AsArray().Single(l => l!["name"]!.GetValue<string>() == "户口簿")!;
            Assert.That(hukou["satisfiedBy"]!.GetValue<string>(), Is.EqualTo("certificate"), "免证办: the e-certificate replaces the paper 户口簿");
            var lowIncome = file["checklist"]!.AsArray().Single(l => l!["name"]!.GetValue<string>() == "低保证")!;
            Assert.That(lowIncome["applies"]!.GetValue<bool>(), Is.False, "the conditional material does not apply to this applicant");
            Assert.That(file["certificateUses"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(h.Certificates.Queries.All(q => q.UseReason.Length > 0 && q.CaseNumber != null), Is.True);
            Assert.That(Open(state), Is.EqualTo(new[] { ReviewTask.TaskBookmark }));
            Assert.That(state.Bookmarks[0].Payload!["stepName"]!.GetValue<string>(), Is.EqualTo("初审"));
        });

        foreach (var step in new[] { "初审", "审核", "审批" })
        {
            Assert.That(state.Bookmarks.Single().Payload!["stepName"]!.GetValue<string>(), Is.EqualTo(step));
            state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        }
        Assert.That(h.CaseFile(state)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Completed));
        Assert.That(h.Messages.Sent.Single().Text, Does.Contain("高龄津贴申请"));
        Assert.That(h.Mail.Requests.Single().ReceiverAddress, Is.EqualTo(who.Address));
        state = await h.ResumeAsync(state, SendByPost.TrackingBookmark, new Dictionary<string, object?> { ["status"] = "inTransit" });
        state = await h.ResumeAsync(state, SendByPost.TrackingBookmark, new Dictionary<string, object?> { ["status"] = "delivered" });
        state = await h.ResumeAsync(state, RequestRating.RatingBookmark, new Dictionary<string, object?> { ["level"] = 1, ["comment"] = "办事快" }, "applicant");
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(h.CaseFile(state)["waybill"]!["history"]!.AsArray().Select(x => x!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "created", "inTransit", "delivered" }));
            Assert.That(h.Ratings.Reports.Single().Level, Is.EqualTo(1));
            Assert.That(h.CaseFile(state)["steps"]!.AsArray().Select(s => s!["step"]!.GetValue<string>()), Is.EqualTo(new[] { "受理", "初审", "审核", "审批", "办结", "送达" }));
            Assert.That(Journal.Verify(h.Engine.JournalOf(state.Id)).Valid, Is.True);
        });
    }

    [Test]
    public async Task Missing_materials_are_told_once_completely_and_the_clock_stops_until_they_arrive()
    {
        var h = new Harness();
        var state = await h.StartAsync("44030505001", People.Case("44030505001", ["高龄津贴申请书"], new() { ["age"] = 85 }));
        var file = h.CaseFile(state);
        Assert.Multiple(() =>
        {
            Assert.That(file["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Correction));
            Assert.That(file["corrections"]![0]!["materials"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EquivalentTo(new[] { "居民身份证", "户口簿", "银行卡", "照片" }));
            Assert.That(file["pauses"]![0]!["end"], Is.Null);
            Assert.That(Open(state), Is.EquivalentTo(new[] { Acceptance.CorrectionBookmark, Acceptance.CorrectionDeadlineBookmark }));
        });
        var ex = Assert.ThrowsAsync<BookmarkInputException>(() => h.ResumeAsync(state, Acceptance.CorrectionBookmark, new Dictionary<string, object?> { ["action"] = "supply" }));
        Assert.That(ex!.Field, Is.EqualTo("materials"));

        h.Clock.Advance(TimeSpan.FromDays(2));
        state = await h.ResumeAsync(state, Acceptance.CorrectionBookmark, new Dictionary<string, object?> { ["action"] = "supply", ["materials"] = new List<object?> { "居民身份证", "户口簿", "银行卡", "照片" } }, "window01");
        file = h.CaseFile(state);
        Assert.That(file["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.InReview));
        Assert.That(file["pauses"]![0]!["end"]!.GetValue<string>(), Is.EqualTo("2026-03-04"));
    }

    [Test]
    public async Task A_correction_goes_back_to_the_accepting_clerk_and_lapses_into_a_withdrawal()
    {
        var h = new Harness();
        var application = People.Case("44030505001", ["高龄津贴申请书"], new() { ["age"] = 85 });
        application["acceptedBy"] = new Dictionary<string, object?> { ["user"] = "window02", ["department"] = "深圳市福田区沙头街道办事处" };
        var state = await h.StartAsync("44030505001", application);
        var task = state.Bookmarks.Single(b => b.Name == Acceptance.CorrectionBookmark).Payload!;
        var deadline = state.Bookmarks.Single(b => b.Name == Acceptance.CorrectionDeadlineBookmark);
        Assert.Multiple(() =>
        {
            Assert.That(task["department"]!.GetValue<string>(), Is.EqualTo("深圳市福田区沙头街道办事处"), "the window that took it, not the flow's default");
            Assert.That(task["assignee"]!.GetValue<string>(), Is.EqualTo("window02"));
            Assert.That(deadline.DueAt, Is.EqualTo(ChinaTime.EndOfWorkingDays(WorkingCalendar.Load(), h.Clock.GetUtcNow(), 20)), "the matter's correction limit (20 working days by default)");
        });

        h.Clock.Advance(TimeSpan.FromDays(40));
        state = await h.ResumeAsync(state, Acceptance.CorrectionDeadlineBookmark, null, "scheduler");
        var file = h.CaseFile(state);
        Assert.Multiple(() =>
        {
            Assert.That(file["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Withdrawn));
            Assert.That(file["steps"]!.AsArray().Last()!["opinion"]!.GetValue<string>(), Is.EqualTo("逾期未补正，视为撤回申请"));
            Assert.That(Open(state), Does.Not.Contain(Acceptance.CorrectionBookmark));
            Assert.That(file["pauses"]![0]!["end"], Is.Not.Null, "the clock's stop ends with the application");
        });
    }

    [Test]
    public async Task Tolerance_gap_acceptance_ends_as_tolerance_pass_when_supplied()
    {
        var h = new Harness();
        var who = People.Next();
        h.Certificates.Give(who.IdNumber, "201");
        var paper = new[] { "食品经营许可申请书", "法定代表人身份证明", "与食品经营相适应的主要设备设施布局、操作流程文件", "食品安全管理制度" };
        var state = await h.StartAsync("44030501013", People.Case("44030501013", paper, new() { ["toleranceCommitment"] = new Dictionary<string, object?> { ["signedBy"] = who.Name } }, who));
        var file = h.CaseFile(state);
        Assert.That(file["tolerance"]!["missing"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EquivalentTo(new[] { "食品安全管理人员健康证明", "经营场所平面图" }));
        Assert.That(Open(state), Is.EquivalentTo(new[] { ToleranceGap.SupplementBookmark, ToleranceGap.DeadlineBookmark, ToleranceGap.ReminderBookmark }));
        var deadline = state.Bookmarks.Single(b => b.Name == ToleranceGap.DeadlineBookmark).DueAt;
        Assert.That(ChinaTime.Date(deadline!.Value), Is.EqualTo(new DateOnly(2026, 3, 9)), "5 working days after 3-2");
        Assert.That(state.Bookmarks.Single(b => b.Name == ToleranceGap.ReminderBookmark).DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 5, 9, 0, 0, TimeSpan.FromHours(8))),
            "the morning of the second working day before the deadline's day");

        state = await h.ResumeAsync(state, ToleranceGap.SupplementBookmark, new Dictionary<string, object?> { ["action"] = "supply", ["materials"] = "食品安全管理人员健康证明" }, "window01");
        Assert.That(Open(state), Is.EquivalentTo(new[] { ToleranceGap.SupplementBookmark, ToleranceGap.DeadlineBookmark, ToleranceGap.ReminderBookmark }), "still waiting for the floor plan");
        state = await h.ResumeAsync(state, ToleranceGap.SupplementBookmark, new Dictionary<string, object?> { ["action"] = "supply", ["materials"] = "经营场所平面图" }, "window01");
        Assert.That(Open(state), Is.EqualTo(new[] { ReviewTask.TaskBookmark }));
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        Assert.That(h.CaseFile(state)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.CompletedWithTolerance));
    }

    [Test]
    public async Task An_expired_commitment_suspends_the_case_and_refuses_tolerance_next_time()
    {
        var h = new Harness();
        var who = People.Next();
        var paper = new[] { "食品经营许可申请书", "营业执照", "法定代表人身份证明", "与食品经营相适应的主要设备设施布局、操作流程文件", "食品安全管理制度" };
        var data = new Dictionary<string, object?> { ["toleranceCommitment"] = true };
        var state = await h.StartAsync("44030501013", People.Case("44030501013", paper, data, who));
        h.Clock.Advance(TimeSpan.FromDays(8));
        state = await h.ResumeAsync(state, ToleranceGap.DeadlineBookmark, null, "scheduler");
        Assert.Multiple(() =>
        {
            Assert.That(h.CaseFile(state)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Suspended), "食品经营许可 suspends on expiry");
            Assert.That(h.CaseFile(state)["brokenCommitment"]!.GetValue<bool>(), Is.True, "the broken commitment is on the applicant's record");
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        });
        var again = await h.StartAsync("44030501013", People.Case("44030501013", paper, data, who));
        Assert.That(h.CaseFile(again)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Correction), "a broken commitment excludes tolerance");
        Assert.That(h.Engine.JournalOf(again.Id).Any(r => r.EventName == "ToleranceRefused"), Is.True);
    }

    [Test]
    public async Task Parallel_approval_keeps_each_department_decision()
    {
        var h = new Harness();
        var who = People.Next();
        h.Certificates.Give(who.IdNumber, "201");
        h.Certificates.Give(who.IdNumber, "118");
        var paper = new[] { "娱乐场所设立申请书", "法定代表人及主要负责人身份证明", "消防安全检查合格证明", "环境影响评价文件", "场所内部结构平面示意图" };
        var state = await h.StartAsync("44030501004", People.Case("44030501004", paper, who: who));
        Assert.That(state.Bookmarks.Where(b => b.Name == ParallelApproval.OpinionBookmark).Select(b => b.Payload!["department"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "深圳市公安局南山分局", "深圳市南山区消防救援大队", "深圳市生态环境局南山管理局" }));
        Assert.That(state.Bookmarks.Single(b => b.Name == ParallelApproval.TimeoutBookmark).DueAt, Is.Not.Null);

        var noReasons = Assert.ThrowsAsync<BookmarkInputException>(() => h.ResumeAsync(state, ParallelApproval.OpinionBookmark, new Dictionary<string, object?> { ["action"] = "disagree" }));
        Assert.That(noReasons!.Field, Is.EqualTo("opinion"));

        state = await h.ResumeAsync(state, ParallelApproval.OpinionBookmark, new Dictionary<string, object?> { ["action"] = "agree" }, "police01", b => b.Payload!["department"]!.GetValue<string>() == "深圳市公安局南山分局");
        state = await h.ResumeAsync(state, ParallelApproval.OpinionBookmark, new Dictionary<string, object?> { ["action"] = "disagree", ["opinion"] = "疏散通道宽度不足" }, "fire01", b => b.Payload!["department"]!.GetValue<string>() == "深圳市南山区消防救援大队");
        state = await h.ResumeAsync(state, ParallelApproval.OpinionBookmark, new Dictionary<string, object?> { ["action"] = "agreePending", ["opinion"] = "需报市局备案" }, "env01");
        var parallel = h.CaseFile(state)["parallel"]!;
        Assert.Multiple(() =>
        {
            Assert.That(parallel["outcome"]!.GetValue<string>(), Is.EqualTo("PartiallyApproved"));
            Assert.That(parallel["decisions"]!.AsArray().Select(d => d!["decision"]!.GetValue<string>()), Is.EqualTo(new[] { "agree", "disagree", "agreePending" }));
            Assert.That(parallel["decisions"]![1]!["reasons"]!.GetValue<string>(), Is.EqualTo("疏散通道宽度不足"));
            Assert.That(state.Bookmarks.Single().Payload!["stepName"]!.GetValue<string>(), Is.EqualTo("牵头部门研究决定"));
            Assert.That(h.CaseFile(state)["steps"]!.AsArray().Last()!["opinion"]!.GetValue<string>(),
                Is.EqualTo("深圳市公安局南山分局：同意；深圳市南山区消防救援大队：不同意；深圳市生态环境局南山管理局：同意（待上级审批）"), "the step's opinion in the hall's words");
        });
    }

    [Test]
    public async Task A_member_silent_past_its_limit_is_deemed_to_agree()
    {
        var h = new Harness();
        var paper = new[] { "娱乐场所设立申请书", "营业执照", "法定代表人及主要负责人身份证明", "房产权属证明或租赁合同", "消防安全检查合格证明", "环境影响评价文件", "场所内部结构平面示意图" };
        var state = await h.StartAsync("44030501004", People.Case("44030501004", paper));
        state = await h.ResumeAsync(state, ParallelApproval.OpinionBookmark, new Dictionary<string, object?> { ["action"] = "agree" }, "police01");
        state = await h.ResumeAsync(state, ParallelApproval.TimeoutBookmark, null, "scheduler");
        var decisions = h.CaseFile(state)["parallel"]!["decisions"]!.AsArray();
        Assert.That(decisions.Count(d => d!["deemed"]!.GetValue<bool>()), Is.EqualTo(2));
        Assert.That(h.CaseFile(state)["parallel"]!["outcome"]!.GetValue<string>(), Is.EqualTo("AllApproved"));
        Assert.That(state.Bookmarks.Single().Payload!["stepName"]!.GetValue<string>(), Is.EqualTo("审批"));
    }

    [Test]
    public async Task Talent_hukou_runs_three_links_in_parallel_and_joins_once()
    {
        var h = new Harness();
        var who = People.Next();
        var paper = new[] { "人才引进申请表", "居民身份证", "学历学位证书", "劳动合同", "社会保险参保证明", "户口簿" };
        var state = await h.StartAsync("44030501011", People.Case("44030501011", paper, new() { ["married"] = false }, who));
        Assert.That(state.Bookmarks.Select(b => b.Payload!["stepName"]!.GetValue<string>()), Is.EquivalentTo(new[] { "计生证明", "在职人才引进", "户籍迁入指标卡" }));
        Assert.That(state.Bookmarks.Select(b => b.Payload!["department"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(3));
        for (var i = 0; i < 3; i++) state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        Assert.That(h.CaseFile(state)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Completed));
        Assert.That(h.Engine.JournalOf(state.Id).Count(r => r.ActivityId == "conclude" && r.EventName == "Completed"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_refused_link_refuses_the_whole_bundle_once()
    {
        var h = new Harness();
        var paper = new[] { "人才引进申请表", "居民身份证", "学历学位证书", "劳动合同", "社会保险参保证明", "户口簿" };
        var state = await h.StartAsync("44030501011", People.Case("44030501011", paper, new() { ["married"] = false }));
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        Assert.That(Open(state).Count(b => b == ReviewTask.TaskBookmark), Is.EqualTo(2), "two departments still review");
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("reject", "学历与申报不符"));
        Assert.That(h.CaseFile(state)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Refused));
        Assert.That(Open(state), Does.Not.Contain(ReviewTask.TaskBookmark), "the refusal ends the other department's review");
        var journal = h.Engine.JournalOf(state.Id);
        Assert.That(journal.Single(r => r.EventName == "OpenWorkCancelled").Payload!["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Refused));
        Assert.That(journal.Count(r => r.EventName == "Canceled"), Is.GreaterThan(0));
        Assert.That(journal.Count(r => r.ActivityId == "refuse" && r.EventName == "Completed"), Is.EqualTo(1));
        Assert.That(journal.Any(r => r.ActivityId == "conclude" && r.EventName == "Started"), Is.False);
    }

    [Test]
    public async Task Every_decision_is_inside_the_hash_chain_with_its_opinion_and_choices()
    {
        var h = new Harness();
        var paper = new[] { "人才引进申请表", "居民身份证", "学历学位证书", "劳动合同", "社会保险参保证明", "户口簿" };
        var state = await h.StartAsync("44030501011", People.Case("44030501011", paper, new() { ["married"] = false }));
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve", "材料齐全"), "王审核");
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("reject", "学历与申报不符"), "李审核");
        var journal = h.Engine.JournalOf(state.Id).ToList();
        var decisions = journal.Where(r => r.EventName == "Resumed" && r.Payload?["decision"] is not null).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(decisions.Select(r => $"{r.Actor}:{r.Payload!["decision"]!["action"]}:{r.Payload["decision"]!["opinion"]}"),
                Is.EqualTo(new[] { "王审核:approve:材料齐全", "李审核:reject:学历与申报不符" }));
            Assert.That(journal.Where(r => r.EventName == "Resumed" && r.Payload?["bookmark"]?.GetValue<string>() != ReviewTask.TaskBookmark).All(r => r.Payload?["decision"] is null),
                Is.True, "timers and service replies decide nothing");
        });

        // Changing the opinion recorded breaks the chain at that record.
        var edited = journal.Select(r => r == decisions[0] ? Clone(r) : r).ToList();
        var changed = edited.First(r => r.Sequence == decisions[0].Sequence);
        changed.Payload!["decision"]!["opinion"] = "材料不全";
        Assert.That(Journal.Verify(edited).FirstBrokenSequence, Is.EqualTo(decisions[0].Sequence));
    }

    private static JournalRecord Clone(JournalRecord r) => new()
    {
        Sequence = r.Sequence, Timestamp = r.Timestamp, WorkflowInstanceId = r.WorkflowInstanceId, ActivityInstanceId = r.ActivityInstanceId,
        ParentActivityInstanceId = r.ParentActivityInstanceId, ActivityId = r.ActivityId, NodeId = r.NodeId, ActivityType = r.ActivityType,
        ActivityTypeVersion = r.ActivityTypeVersion, ActivityName = r.ActivityName, EventName = r.EventName, Actor = r.Actor, Message = r.Message,
        Payload = r.Payload?.DeepClone(), PreviousHash = r.PreviousHash, Hash = r.Hash, Algorithm = r.Algorithm
    };

    [Test]
    public async Task Instant_approval_needs_no_human_step_when_every_rule_passes()
    {
        var h = new Harness();
        var who = People.Next(1995);
        h.Certificates.Give(who.IdNumber, "111");
        h.Population.Add(who.IdNumber);
        var state = await h.StartAsync("44030007009", People.Case("44030007009", ["无犯罪记录证明申请表"], new() { ["age"] = 31, ["criminalRecord"] = false }, who));
        Assert.That(h.CaseFile(state)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Completed));
        Assert.That(h.CaseFile(state)["result"]!["certificateId"], Is.Not.Null);
        Assert.That(h.Certificates.Library.Count(c => c.TypeCode == "121" && c.HolderCode == who.IdNumber), Is.EqualTo(1), "the issued certificate can be looked up later");
        Assert.That(Open(state), Is.EqualTo(new[] { SendByPost.TrackingBookmark }));
    }

    [Test]
    public async Task A_failed_rule_routes_the_case_to_manual_review_with_the_failed_rules()
    {
        var h = new Harness();
        var who = People.Next(1995);
        h.Population.Add(who.IdNumber);
        var state = await h.StartAsync("44030007009", People.Case("44030007009", ["无犯罪记录证明申请表"], new() { ["age"] = 31, ["criminalRecord"] = false }, who));
        var file = h.CaseFile(state);
        Assert.That(file["ruleCheck"]!["failed"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { "身份证有效" }));
        Assert.That(state.Bookmarks.Single().Payload!["stepName"]!.GetValue<string>(), Is.EqualTo("人工审核"));
    }

    [Test]
    public async Task Rules_that_never_end_fail_at_the_script_limits_and_route_the_case_to_manual_review()
    {
        var h = new Harness();
        var who = People.Next(1995);
        h.Certificates.Give(who.IdNumber, "111");
        h.Population.Add(who.IdNumber);
        var definition = Matter("44030007009");
        var matter = Matters.MatterJson.Read(definition)!;
        matter.InstantApprovalRules[0].Condition = "(() => { while (true) {} })()";
        matter.InstantApprovalRules[1].Condition = "(function f(n) { return f(n + 1) + 1; })(0)";
        Matters.MatterJson.Write(definition, matter);
        var state = await h.StartAsync(definition, People.Case("44030007009", ["无犯罪记录证明申请表"], new() { ["age"] = 31, ["criminalRecord"] = false }, who));
        Assert.That(h.CaseFile(state)["ruleCheck"]!["failed"]!.AsArray().Select(f => f!.GetValue<string>()),
            Is.EqualTo(matter.InstantApprovalRules.Take(2).Select(r => r.Name)));
        Assert.That(state.Bookmarks.Single().Payload!["stepName"]!.GetValue<string>(), Is.EqualTo("人工审核"));
    }

    [Test]
    public async Task Certificate_lookup_outcomes()
    {
        var h = new Harness();
        var found = People.Next(1940);
        var expired = People.Next(1940);
        var abolished = People.Next(1940);
        h.Certificates.Give(found.IdNumber, "112");
        h.Certificates.Give(expired.IdNumber, "112", validTo: new DateOnly(2025, 12, 31));
        h.Certificates.Give(abolished.IdNumber, "112", status: "abolished");
        var mismatch = People.Next(1940);
        h.Certificates.Add(new Services.Certificate { Id = "x", TypeCode = "112", HolderCode = "someone-else", ValidFrom = new DateOnly(2020, 1, 1), Data = new() { ["alias"] = mismatch.IdNumber } });

        async Task<string> Outcome((string Name, string IdNumber, string Phone, string Address) who)
        {
            var s = await h.StartAsync("44030505001", People.Case("44030505001", ["高龄津贴申请书"], new() { ["age"] = 85 }, who));
            return h.CaseFile(s)["certificateUses"]!.AsArray().Single(u => u!["certificateType"]!.GetValue<string>() == "112")!["outcome"]!.GetValue<string>();
        }
        Assert.That(await Outcome(found), Is.EqualTo("Found"));
        Assert.That(await Outcome(expired), Is.EqualTo("Invalid"));
        Assert.That(await Outcome(abolished), Is.EqualTo("Invalid"));
        Assert.That(await Outcome(mismatch), Is.EqualTo("Invalid"));
        Assert.That(await Outcome(People.Next(1940)), Is.EqualTo("NotFound"));
        h.Certificates.Down = true;
        var down = await h.StartAsync("44030505001", People.Case("44030505001", ["高龄津贴申请书"], new() { ["age"] = 85 }));
        Assert.That(h.CaseFile(down)["certificateUses"]![0]!["outcome"]!.GetValue<string>(), Is.EqualTo("Unavailable"));
        Assert.That(down.Incidents, Is.Empty, "an unreachable certificate library does not fault the case");
        Assert.That(h.CaseFile(down)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Correction), "the paper materials are asked for instead");
    }

    [TestCase("reject", null, "opinion")]
    [TestCase("reject", "   ", "opinion")]
    [TestCase("transfer", "请王科长处理", "assignee")]
    [TestCase("requestCorrection", "缺少材料", "materials")]
    [TestCase("escalate", "x", "action")]
    public async Task Review_actions_refuse_bad_input_naming_the_field(string action, string? opinion, string field)
    {
        var h = new Harness();
        var state = await ElderlyInReview(h);
        var ex = Assert.ThrowsAsync<BookmarkInputException>(() => h.ResumeAsync(state, ReviewTask.TaskBookmark, Action(action, opinion)));
        Assert.That(ex!.Field, Is.EqualTo(field));
        Assert.That(h.Engine.Instance(state.Id)!.Bookmarks, Has.Count.EqualTo(1), "the task stays open");
    }

    [Test]
    public async Task A_review_offers_only_the_actions_its_flow_goes_on_from()
    {
        var h = new Harness();
        var state = await ElderlyInReview(h);
        // 高龄津贴's 初审 connects Approved and Rejected but no Returned: returning there would end the flow with
        // the case still in review and no one holding it.
        var first = state.Bookmarks.Single();
        Assert.That(TaskContract.Offered(first.Payload).Select(a => a.Name), Is.EqualTo(new[] { "approve", "reject", "requestCorrection", "transfer" }));
        var refused = Assert.ThrowsAsync<BookmarkInputException>(() => h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("return", "退回重审")));
        Assert.Multiple(() =>
        {
            Assert.That(refused!.Field, Is.EqualTo("action"));
            Assert.That(refused.Message, Does.Contain("退回").And.Contain("没有后续环节"));
            Assert.That(h.Engine.Instance(state.Id)!.Bookmarks.Single().Id, Is.EqualTo(first.Id), "the task stays open");
        });

        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        var second = TaskContract.Offered(state.Bookmarks.Single().Payload);
        Assert.Multiple(() =>
        {
            Assert.That(second.Select(a => a.Name), Does.Contain("return"), "审核 connects Returned back to 初审");
            Assert.That(second.Single(a => a.Name == "return").Fields.Single().Choices, Is.EqualTo(new[] { "初审" }), "a return offers the step the flow's Returned connection goes back to, and only that");
            Assert.That(second.Single(a => a.Name == "requestCorrection").Fields.Single().Choices, Does.Contain("高龄津贴申请书"), "a correction picks from the matter's materials");
            Assert.That(second.Single(a => a.Name == "reject").Opinion, Is.EqualTo(OpinionRule.Required));
        });
    }

    private static DateTimeOffset Due(WorkflowState state) => ChinaTime.ParseMoment(state.Bookmarks.Single().Payload!["dueAt"])!.Value;

    [Test]
    public async Task Review_return_transfer_and_correction()
    {
        var h = new Harness();
        var state = await ElderlyInReview(h);
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("return", "初审意见不完整", ("returnTo", "初审")));
        Assert.That(state.Bookmarks.Single().Payload!["stepName"]!.GetValue<string>(), Is.EqualTo("初审"), "returned to the earlier step");
        var due = Due(state);
        h.Clock.Advance(TimeSpan.FromDays(2));
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("transfer", "转李科员", ("assignee", "reviewer02")));
        Assert.That(state.Bookmarks.Single().Payload!["assignee"]!.GetValue<string>(), Is.EqualTo("reviewer02"));
        Assert.That(Due(state), Is.EqualTo(due), "a transfer does not restart the step's clock");
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("requestCorrection", "银行卡复印件不清晰", ("materials", new List<object?> { "银行卡" })), "reviewer02");
        h.Clock.Advance(TimeSpan.FromDays(14));
        Assert.That(Open(state), Is.EqualTo(new[] { ReviewTask.SupplementBookmark }));
        Assert.That(h.CaseFile(state)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Correction));
        state = await h.ResumeAsync(state, ReviewTask.SupplementBookmark, new Dictionary<string, object?> { ["action"] = "supply", ["materials"] = "银行卡" }, "window01");
        Assert.That(state.Bookmarks.Single().Payload!["assignee"]!.GetValue<string>(), Is.EqualTo("reviewer02"), "back to the same handler");
        Assert.That(Due(state), Is.EqualTo(due.AddDays(14)), "two weeks stopped for the correction (no holiday in March 2026) move the step's due date by two weeks: the days it had left, not its whole limit again");
        Assert.That(h.CaseFile(state)["pauses"]!.AsArray().All(p => p!["end"] != null), Is.True);
        Assert.That(h.CaseFile(state)["steps"]!.AsArray().Select(s => s!["action"]!.GetValue<string>()), Is.EqualTo(new[] { "Accepted", "pass", "return", "transfer", "requestCorrection" }));
    }

    private static async Task<(Harness H, WorkflowState State)> FoodLicenceInReview()
    {
        var h = new Harness();
        var food = People.Next();
        h.Certificates.Give(food.IdNumber, "201");
        var paper = new[] { "食品经营许可申请书", "法定代表人身份证明", "与食品经营相适应的主要设备设施布局、操作流程文件", "食品安全管理制度", "食品安全管理人员健康证明", "经营场所平面图" };
        return (h, await h.StartAsync("44030501013", People.Case("44030501013", paper, who: food)));
    }

    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Test]
    public async Task An_extension_adds_its_working_days_to_the_step_and_the_case_journals_the_new_date_and_tells_the_applicant()
    {
        var (h, state) = await FoodLicenceInReview();
        Assert.That(TaskContract.Offered(state.Bookmarks.Single().Payload).Select(a => a.Name), Does.Contain("extend").And.Contain("startSpecialProcedure"), "a licence offers the law's clock actions");
        var stepDue = Due(state);
        var tooLong = Assert.ThrowsAsync<BookmarkInputException>(() => h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("extend", "需补充核查", ("days", "11"), ("approver", "张局长"))));
        Assert.That((tooLong!.Field, tooLong.Message), Is.EqualTo(("days", "延期须为 1 至 10 个工作日（《中华人民共和国行政许可法》第四十二条：延长不超过 10 个工作日）")));
        Assert.That(Assert.ThrowsAsync<BookmarkInputException>(() => h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("extend", "需补充核查", ("days", "10"))))!.Field, Is.EqualTo("approver"));

        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("extend", "需补充核查", ("days", "10"), ("approver", "张局长")));
        // March 2026 has no holiday: ten working days are two weeks.
        Assert.That(Due(state), Is.EqualTo(stepDue.AddDays(14)), "the step's due date moves by the ten working days");
        var extended = h.Engine.JournalOf(state.Id).Single(r => r.EventName == "Extended");
        var file = h.CaseFile(state);
        Assert.Multiple(() =>
        {
            // Received Monday 2 March, promised in 10 working days (Monday 16 March), now 20 (Monday 30 March).
            Assert.That(ChinaTime.ParseMoment(extended.Payload!["oldDue"]), Is.EqualTo(new DateTimeOffset(2026, 3, 16, 18, 0, 0, China)));
            Assert.That(ChinaTime.ParseMoment(extended.Payload!["newDue"]), Is.EqualTo(new DateTimeOffset(2026, 3, 30, 18, 0, 0, China)));
            Assert.That(extended.Payload!["approver"]!.GetValue<string>(), Is.EqualTo("张局长"));
            Assert.That(file["extensions"]![0]!["days"]!.GetValue<int>(), Is.EqualTo(10));
            Assert.That(file["applicantNotices"]![0]!["text"]!.GetValue<string>(), Does.Contain("经张局长批准").And.Contain("延至2026年3月30日"));
            Assert.That(TaskContract.Offered(state.Bookmarks.Single().Payload).Select(a => a.Name), Does.Not.Contain("extend"), "the law allows ten working days in all");
        });
    }

    [Test]
    public async Task A_special_procedure_stops_the_clock_until_the_clerk_ends_it()
    {
        var (h, state) = await FoodLicenceInReview();
        var stepDue = Due(state);
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("startSpecialProcedure", "需对经营场所抽样检验", ("procedure", "检验"), ("days", "5")));
        Assert.That(Open(state), Is.EqualTo(new[] { ReviewTask.SpecialProcedureBookmark }), "the review waits for the procedure to end");
        var pause = h.CaseFile(state)["pauses"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(pause["kind"]!.GetValue<string>(), Is.EqualTo("Inspection"));
            Assert.That(pause["legalBasis"]!.GetValue<string>(), Is.EqualTo("《中华人民共和国行政许可法》第四十五条"));
            Assert.That(pause["expectedWorkingDays"]!.GetValue<int>(), Is.EqualTo(5));
        });

        // The inspection takes a week: Tuesday 3 to Monday 9 March are five working days the clock stood still.
        h.Clock.Advance(TimeSpan.FromDays(7));
        state = await h.ResumeAsync(state, ReviewTask.SpecialProcedureBookmark, Action("endSpecialProcedure", "检验合格"));
        Assert.That(Open(state), Is.EqualTo(new[] { ReviewTask.TaskBookmark }));
        Assert.That(Due(state), Is.EqualTo(stepDue.AddDays(7)), "the step's due date moves by the five working days stopped");
        var journal = h.Engine.JournalOf(state.Id);
        Assert.Multiple(() =>
        {
            Assert.That(journal.Select(r => r.EventName), Does.Contain("SpecialProcedureStarted").And.Contain("SpecialProcedureEnded"));
            Assert.That(ChinaTime.ParseMoment(journal.Single(r => r.EventName == "SpecialProcedureEnded").Payload!["newDue"]),
                Is.EqualTo(new DateTimeOffset(2026, 3, 23, 18, 0, 0, China)), "the promised date moves from 16 to 23 March");
            Assert.That(h.CaseFile(state)["pauses"]![0]!["end"]!.GetValue<string>(), Is.EqualTo("2026-03-09"));
            Assert.That(h.CaseFile(state)["applicantNotices"]!.AsArray().Select(n => n!["kind"]!.GetValue<string>()), Is.EqualTo(new[] { "特别程序开始", "特别程序结束" }));
        });
    }

    private static Task<WorkflowState> ElderlyPending(Harness h)
    {
        var who = People.Next(1940);
        h.Certificates.Give(who.IdNumber, "111");
        h.Certificates.Give(who.IdNumber, "112");
        return h.StartAsync("44030505001", People.Case("44030505001", ElderlyPaper, new() { ["age"] = 86, ["acceptance"] = "pending" }, who));
    }

    [Test]
    public async Task An_application_undecided_for_five_working_days_counts_as_accepted_on_receipt()
    {
        var h = new Harness();
        var state = await ElderlyPending(h);
        Assert.That(Open(state), Is.EquivalentTo(new[] { Acceptance.DecisionBookmark, Acceptance.DeemedBookmark }), "the window's decision waits, with Art. 32's timer");
        // Received Monday 2 March 2026: five working days end on Monday 9 March.
        Assert.That(state.Bookmarks.Single(b => b.Name == Acceptance.DeemedBookmark).DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 9, 18, 0, 0, China)));
        Assert.That(ChinaTime.ParseMoment(state.Bookmarks.Single(b => b.Name == Acceptance.DecisionBookmark).Payload!["dueAt"]), Is.EqualTo(new DateTimeOffset(2026, 3, 9, 18, 0, 0, China)));

        h.Clock.Advance(TimeSpan.FromDays(8));
        state = await h.ResumeAsync(state, Acceptance.DeemedBookmark, null, "system");
        var file = h.CaseFile(state);
        Assert.Multiple(() =>
        {
            Assert.That(Open(state), Does.Not.Contain(Acceptance.DecisionBookmark), "nothing is left for the window to decide");
            Assert.That(Open(state), Does.Contain(ReviewTask.TaskBookmark), "the case goes on to review");
            Assert.That(ChinaTime.ParseMoment(file["acceptedAt"]), Is.EqualTo(new DateTimeOffset(2026, 3, 2, 9, 30, 0, China)), "accepted on receipt, not when the timer fired");
            Assert.That(file["steps"]![0]!["action"]!.GetValue<string>(), Is.EqualTo("DeemedAccepted"));
            Assert.That(h.Engine.JournalOf(state.Id).Single(r => r.EventName == "DeemedAccepted").Message, Does.Contain("第三十二条"));
        });
    }

    [Test]
    public async Task The_window_decides_a_pending_application_and_the_timer_goes()
    {
        var h = new Harness();
        var refused = await ElderlyPending(h);
        Assert.That(Assert.ThrowsAsync<BookmarkInputException>(() => h.ResumeAsync(refused, Acceptance.DecisionBookmark, Action("notAccept")))!.Field, Is.EqualTo("opinion"));
        refused = await h.ResumeAsync(refused, Acceptance.DecisionBookmark, Action("notAccept", "不属于本机关职权范围"), "window01");
        Assert.That(h.CaseFile(refused)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.NotAccepted));
        Assert.That(Open(refused), Is.Empty, "the Art. 32 timer went with the decision");

        var accepted = await h.ResumeAsync(await ElderlyPending(h), Acceptance.DecisionBookmark, Action("accept"), "window01");
        Assert.That(h.CaseFile(accepted)["acceptedAt"], Is.Not.Null, "accepted when the window decided");
        Assert.That(Open(accepted), Does.Not.Contain(Acceptance.DeemedBookmark));
        Assert.That(Open(accepted), Does.Contain(ReviewTask.TaskBookmark));
    }

    [Test]
    public async Task Mailing_problems_become_the_window_task_of_the_mailing_step()
    {
        var h = new Harness();
        var state = await ElderlyInReview(h, address: "查无此地");
        for (var i = 0; i < 3; i++) state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        Assert.That(h.CaseFile(state)["waybill"]!["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(state.Bookmarks.Single().Name, Is.EqualTo(SendByPost.ProblemBookmark), "an undeliverable address is the window's task at once");
        Assert.That(TaskContract.Offered(state.Bookmarks.Single().Payload).Select(a => a.Label), Is.EquivalentTo(new[] { "重新寄送", "修改地址后寄送", "改为窗口领取" }));

        // 修改地址后寄送: the new address is the clerk's opinion, checked as deliverable before anything is posted.
        Assert.That(Assert.ThrowsAsync<BookmarkInputException>(() => h.ResumeAsync(state, SendByPost.ProblemBookmark, Action("readdress", "不详")))!.Field, Is.EqualTo("opinion"));
        state = await h.ResumeAsync(state, SendByPost.ProblemBookmark, Action("readdress", "广东省深圳市南山区粤海街道科技园路1号"), "window01");
        var waybill = h.CaseFile(state)["waybill"]!;
        Assert.Multiple(() =>
        {
            Assert.That(waybill["address"]!.GetValue<string>(), Is.EqualTo("广东省深圳市南山区粤海街道科技园路1号"));
            Assert.That(waybill["number"], Is.Not.Null, "posted again");
            Assert.That(state.Bookmarks.Single().Name, Is.EqualTo(SendByPost.TrackingBookmark));
        });
        state = await h.ResumeAsync(state, SendByPost.TrackingBookmark, new Dictionary<string, object?> { ["status"] = "delivered" });
        Assert.That(Open(state), Does.Contain(RequestRating.RatingBookmark), "delivered: the flow goes on to the rating");

        h.Mail.Down = true;
        var down = await ElderlyInReview(h);
        for (var i = 0; i < 3; i++) down = await h.ResumeAsync(down, ReviewTask.TaskBookmark, Action("approve"));
        Assert.That(h.CaseFile(down)["waybill"]!["problem"]!.GetValue<string>(), Does.Contain("邮政寄递服务 is unavailable"));
        h.Mail.Down = false;
        // 重新寄送: the same address once the mail service is back.
        down = await h.ResumeAsync(down, SendByPost.ProblemBookmark, Action("resend"), "window01");
        Assert.That(down.Bookmarks.Single().Name, Is.EqualTo(SendByPost.TrackingBookmark));

        var returned = await ElderlyInReview(h);
        for (var i = 0; i < 3; i++) returned = await h.ResumeAsync(returned, ReviewTask.TaskBookmark, Action("approve"));
        returned = await h.ResumeAsync(returned, SendByPost.TrackingBookmark, new Dictionary<string, object?> { ["status"] = "returned", ["detail"] = "收件人拒收" });
        Assert.That(returned.Bookmarks.Single().Payload!["problem"]!.GetValue<string>(), Is.EqualTo("收件人拒收"));
        Assert.That(h.CaseFile(returned)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Completed), "the decision stands; only the delivery is open");
        // 改为窗口领取: the window hands the result over and marks it collected.
        returned = await h.ResumeAsync(returned, SendByPost.ProblemBookmark, Action("pickup", "已电话联系，改为窗口领取"), "window01");
        Assert.That(returned.Bookmarks.Single().Name, Is.EqualTo(SendByPost.PickupBookmark));
        returned = await h.ResumeAsync(returned, SendByPost.PickupBookmark, Action("collected"), "window01");
        Assert.That(Open(returned), Does.Contain(RequestRating.RatingBookmark));
        Assert.That(h.CaseFile(returned)["steps"]!.AsArray().Select(x => x!["step"]!.GetValue<string>()), Does.Contain("窗口领取"));
    }

    [Test]
    public async Task The_result_goes_the_way_the_applicant_chose_at_acceptance()
    {
        var h = new Harness();
        // 窗口领取: no waybill, a window task until the applicant has collected the result.
        var who = People.Next(1940);
        h.Certificates.Give(who.IdNumber, "111");
        h.Certificates.Give(who.IdNumber, "112");
        var pickup = await h.StartAsync("44030505001", People.Case("44030505001", ElderlyPaper, new() { ["age"] = 86, [ResultDelivery.ChoiceField] = ResultDelivery.AtWindow }, who));
        for (var i = 0; i < 3; i++) pickup = await h.ResumeAsync(pickup, ReviewTask.TaskBookmark, Action("approve"));
        Assert.Multiple(() =>
        {
            Assert.That(pickup.Bookmarks.Single().Name, Is.EqualTo(SendByPost.PickupBookmark));
            Assert.That(h.CaseFile(pickup)["waybill"], Is.Null, "nothing is posted");
        });
        pickup = await h.ResumeAsync(pickup, SendByPost.PickupBookmark, Action("collected", "本人持身份证领取"), "window01");
        Assert.That(Open(pickup), Does.Contain(RequestRating.RatingBookmark));

        // 邮寄送达 to the address given for the post, not the household address.
        var other = People.Next(1941);
        h.Certificates.Give(other.IdNumber, "111");
        h.Certificates.Give(other.IdNumber, "112");
        var posted = await h.StartAsync("44030505001", People.Case("44030505001", ElderlyPaper,
            new() { ["age"] = 85, [ResultDelivery.ChoiceField] = ResultDelivery.ByPost, [ResultDelivery.AddressField] = "广东省深圳市南山区沙河街道华侨城东方花园2栋" }, other));
        for (var i = 0; i < 3; i++) posted = await h.ResumeAsync(posted, ReviewTask.TaskBookmark, Action("approve"));
        Assert.Multiple(() =>
        {
            Assert.That(posted.Bookmarks.Single().Name, Is.EqualTo(SendByPost.TrackingBookmark));
            Assert.That(h.CaseFile(posted)["waybill"]!["address"]!.GetValue<string>(), Is.EqualTo("广东省深圳市南山区沙河街道华侨城东方花园2栋"));
        });
    }

    [Test]
    public async Task A_bad_rating_runs_the_rectification_loop()
    {
        var h = new Harness();
        var state = await ElderlyDelivered(h);
        Assert.ThrowsAsync<BookmarkInputException>(() => h.ResumeAsync(state, RequestRating.RatingBookmark, new Dictionary<string, object?> { ["level"] = 7 }, "applicant"));
        state = await h.ResumeAsync(state, RequestRating.RatingBookmark, new Dictionary<string, object?> { ["level"] = 5, ["comment"] = "窗口态度差" }, "applicant");
        Assert.That(state.Bookmarks.Single().Payload!["stage"]!.GetValue<string>(), Is.EqualTo("verify"));
        state = await h.ResumeAsync(state, RequestRating.RectificationBookmark, new Dictionary<string, object?> { ["action"] = "done", ["opinion"] = "已电话回访核实" }, "office01");
        Assert.ThrowsAsync<BookmarkInputException>(() => h.ResumeAsync(state, RequestRating.RectificationBookmark, new Dictionary<string, object?> { ["action"] = "ignore", ["opinion"] = "x" }, "office01"));
        state = await h.ResumeAsync(state, RequestRating.RectificationBookmark, new Dictionary<string, object?> { ["action"] = "rectify", ["opinion"] = "窗口人员培训" }, "office01");
        state = await h.ResumeAsync(state, RequestRating.RectificationBookmark, new Dictionary<string, object?> { ["action"] = "done", ["opinion"] = "已反馈整改结果" }, "office01");
        state = await h.ResumeAsync(state, RequestRating.RatingBookmark, new Dictionary<string, object?> { ["level"] = 2 }, "applicant");
        var rating = h.CaseFile(state)["rating"]!;
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(rating["level"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(rating["rectification"]!["stages"]!.AsArray().Select(s => s!["stage"]!.GetValue<string>()), Is.EqualTo(new[] { "verify", "resolve", "feedback" }));
            Assert.That(rating["rectification"]!["rerating"]!["level"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(h.Ratings.Reports.Select(r => (r.Level, r.Rectified)), Is.EqualTo(new[] { (5, false), (2, true) }));
        });
    }

    [Test]
    public async Task No_rating_within_seven_days_counts_as_basically_satisfied()
    {
        var h = new Harness();
        var state = await ElderlyDelivered(h);
        var timer = state.Bookmarks.Single(b => b.Name == RequestRating.DefaultBookmark);
        Assert.That(timer.DueAt, Is.EqualTo(h.Clock.GetUtcNow().AddDays(7)));
        state = await h.ResumeAsync(state, RequestRating.DefaultBookmark, null, "scheduler");
        Assert.That(h.CaseFile(state)["rating"]!["level"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(h.CaseFile(state)["rating"]!["defaulted"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Notification_problems_do_not_stop_the_case()
    {
        var h = new Harness();
        h.Messages.Down = true;
        var state = await h.StartAsync("44030505001", People.Case("44030505001", ["高龄津贴申请书"], new() { ["acceptance"] = "notAccepted", ["notAcceptedReasons"] = "非本区户籍" }));
        Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
        Assert.That(h.CaseFile(state)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.NotAccepted));
        Assert.That(h.CaseFile(state)["notifications"]![0]!["error"]!.GetValue<string>(), Does.Contain("短信平台"));
    }

    [Test]
    public async Task Every_member_disagreeing_rejects_the_parallel_approval()
    {
        var h = new Harness();
        var paper = new[] { "娱乐场所设立申请书", "营业执照", "法定代表人及主要负责人身份证明", "房产权属证明或租赁合同", "消防安全检查合格证明", "环境影响评价文件", "场所内部结构平面示意图" };
        var state = await h.StartAsync("44030501004", People.Case("44030501004", paper));
        for (var i = 0; i < 3; i++)
            state = await h.ResumeAsync(state, ParallelApproval.OpinionBookmark, new Dictionary<string, object?> { ["action"] = "disagree", ["opinion"] = $"理由{i}" }, $"member{i}");
        Assert.That(h.CaseFile(state)["parallel"]!["outcome"]!.GetValue<string>(), Is.EqualTo("Rejected"));
        Assert.That(h.CaseFile(state)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Refused));
        Assert.That(state.Bookmarks.Select(b => b.Name), Does.Contain(RequestRating.RatingBookmark));
    }

    [Test]
    public async Task An_unreachable_certificate_library_at_issue_becomes_a_clerk_task()
    {
        var h = new Harness();
        var food = People.Next();
        h.Certificates.Give(food.IdNumber, "201");
        var paper = new[] { "食品经营许可申请书", "法定代表人身份证明", "与食品经营相适应的主要设备设施布局、操作流程文件", "食品安全管理制度", "食品安全管理人员健康证明", "经营场所平面图" };
        var state = await h.StartAsync("44030501013", People.Case("44030501013", paper, who: food));
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        h.Certificates.Down = true;
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        Assert.That(h.CaseFile(state)["result"]!["error"]!.GetValue<string>(), Does.Contain("电子证照库"));
        Assert.That(state.Bookmarks.Single().Payload!["stepName"]!.GetValue<string>(), Is.EqualTo("出证异常处理"));
        Assert.That(state.Incidents, Is.Empty);
    }

    [Test]
    public async Task Acceptance_can_hand_a_correction_to_the_flow_instead_of_waiting()
    {
        var h = new Harness();
        var d = Harness.Matter("44030505001");
        var accept = d.Root!.Children("activities").Single(a => a.Id == "accept");
        accept.SetRaw("waitForSupplement", new JsonObject { ["typeName"] = "Boolean", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = false } });
        h.Engine.Definitions.Add(d);
        var state = await h.DeliverCallsAsync(await h.Engine.StartAsync(d, new StartWorkflowRequest { Input = new Dictionary<string, object?> { ["case"] = People.Case("44030505001", ["高龄津贴申请书"], new() { ["age"] = 85 }) } }));
        Assert.That(h.Engine.JournalOf(state.Id).Single(r => r.ActivityId == "accept" && r.EventName == "Completed").Payload!["outcomes"]![0]!.GetValue<string>(), Is.EqualTo("NeedsCorrection"));
        Assert.That(h.CaseFile(state)["status"]!.GetValue<string>(), Is.EqualTo(CaseStatus.Correction));
    }

    [Test]
    public void Bad_literal_inputs_are_refused_when_the_flow_is_compiled()
    {
        var h = new Harness();
        var d = Harness.Matter("44030505001");
        var lookup = d.Root!.Children("activities").Single(a => a.Id == "cert1");
        lookup.SetRaw("useReason", new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = new string('理', 201) } });
        var review = d.Root.Children("activities").Single(a => a.Id == "step1");
        review.Properties.RemoveAll(p => p.Name == "stepName");
        // Every activity's required inputs are checked by the compiler from their one declaration, not by the activity.
        var notice = d.Root.Children("activities").First(a => a.Type == "GovFlow.Notify");
        notice.SetRaw("message", new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "  " } });
        var ex = Assert.Throws<WorkflowCompileException>(() => h.Engine.Compiler.Compile(d));
        Assert.That(ex!.Problems.Where(p => p.IsError).Select(p => (p.Path.Split('.').Last(), p.Message)), Is.EquivalentTo(new[]
        {
            ("useReason", "the use reason has 201 characters; at most 200"),
            ("stepName", "必填输入“环节名称”未填写"),
            ("message", "必填输入“内容（可用 {caseNumber} {name} {matter} {status}）”未填写")
        }));
    }

    [Test]
    public async Task A_step_only_asks_for_service_calls_and_the_outbox_delivers_them_after_the_step()
    {
        var h = new Harness();
        var who = People.Next(1940);
        h.Certificates.Give(who.IdNumber, "111");
        var definition = Harness.Matter("44030505001");
        h.Engine.Definitions.Add(definition);
        var state = await h.Engine.StartAsync(definition, new StartWorkflowRequest { Input = new Dictionary<string, object?> { ["case"] = People.Case("44030505001", ElderlyPaper, new() { ["age"] = 86 }, who) } }, "window01");
        var call = state.Bookmarks.Single(b => b.IsServiceCall());
        Assert.Multiple(() =>
        {
            Assert.That(h.Certificates.Queries, Is.Empty, "nothing is called while the step runs");
            Assert.That(call.Payload!["operation"]!.GetValue<string>(), Is.EqualTo("certificate.lookup"));
            Assert.That(call.Payload!["request"]!["holderCode"]!.GetValue<string>(), Is.EqualTo(who.IdNumber));
        });
        state = await h.DeliverCallsAsync(state);
        Assert.Multiple(() =>
        {
            Assert.That(h.Certificates.Queries, Has.Count.EqualTo(2), "both lookups of the flow, each once");
            Assert.That(state.Bookmarks.Any(b => b.IsServiceCall()), Is.False);
            Assert.That(h.CaseFile(state)["certificateUses"]!.AsArray().Select(u => u!["outcome"]!.GetValue<string>()), Is.EqualTo(new[] { "Found", "NotFound" }));
        });
    }

    [Test]
    public async Task A_rating_report_is_kept_until_the_rating_system_takes_it()
    {
        var h = new Harness();
        var state = await ElderlyDelivered(h);
        h.Ratings.Down = true;
        state = await h.ResumeAsync(state, RequestRating.RatingBookmark, new Dictionary<string, object?> { ["level"] = 1 }, "applicant");
        var waiting = state.Bookmarks.Single(b => b.IsServiceCall());
        Assert.Multiple(() =>
        {
            Assert.That(waiting.Payload!["operation"]!.GetValue<string>(), Is.EqualTo("rating.report"));
            Assert.That(state.SubStatus, Is.Not.EqualTo(WorkflowSubStatus.Finished), "the step waits for the report");
            Assert.That(h.CaseFile(state)["rating"]!["level"]!.GetValue<int>(), Is.EqualTo(1), "the rating itself is recorded at once");
            Assert.That(h.Ratings.Reports, Is.Empty);
        });
        state = await h.DeliverCallsAsync(state, retry: true);
        Assert.That(state.Bookmarks.Single(b => b.IsServiceCall()).Id, Is.EqualTo(waiting.Id), "still down: kept under the same key");
        h.Ratings.Down = false;
        state = await h.DeliverCallsAsync(state, retry: true);
        Assert.Multiple(() =>
        {
            Assert.That(state.SubStatus, Is.EqualTo(WorkflowSubStatus.Finished));
            Assert.That(h.Ratings.Reports.Select(r => r.Level), Is.EqualTo(new[] { 1 }));
            Assert.That(h.CaseFile(state)["rating"]!["reportedAt"], Is.Not.Null);
        });
    }

    [Test]
    public async Task The_dispatcher_refuses_unknown_operations_and_requests_it_cannot_read()
    {
        var dispatcher = new ServiceCallDispatcher(new Harness());
        var unknown = await dispatcher.DeliverAsync(new JsonObject { ["operation"] = "fax.send" }, "k1");
        var unreadable = await dispatcher.DeliverAsync(new JsonObject { ["operation"] = "notify.send", ["request"] = new JsonObject { ["phone"] = "13900000000" } }, "k2");
        Assert.Multiple(() =>
        {
            Assert.That(unknown.Reply!.Refused, Is.True);
            Assert.That(unknown.Reply.Error, Does.Contain("fax.send"));
            Assert.That(unreadable.Reply!.Refused, Is.True);
            Assert.That(unreadable.Reply.Error, Does.Contain("message"));
        });
    }

    private static async Task<WorkflowState> ElderlyInReview(Harness h, string? address = null)
    {
        var who = People.Next(1940);
        if (address != null) who = (who.Name, who.IdNumber, who.Phone, address);
        h.Certificates.Give(who.IdNumber, "111");
        h.Certificates.Give(who.IdNumber, "112");
        return await h.StartAsync("44030505001", People.Case("44030505001", ElderlyPaper, new() { ["age"] = 86 }, who));
    }

    private static async Task<WorkflowState> ElderlyDelivered(Harness h)
    {
        var state = await ElderlyInReview(h);
        for (var i = 0; i < 3; i++) state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        return await h.ResumeAsync(state, SendByPost.TrackingBookmark, new Dictionary<string, object?> { ["status"] = "delivered" });
    }
}
