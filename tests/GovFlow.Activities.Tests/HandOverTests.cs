using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Activities.Steps;
using static GovFlow.Activities.Tests.Harness;

namespace GovFlow.Activities.Tests;

/// <summary>通办: the residence permit (44030407015) accepted at a hall in or outside the owner's district, and where its result goes.</summary>
[TestFixture]
public class HandOverTests
{
    private const string Code = "44030407015";
    private const string Owner = "深圳市公安局南山分局";
    private static readonly string[] Paper = ["居住登记表", "近期一寸照片"];

    // A case taken by a window of the hall in region, as the host hands it to the flow.
    private static (Harness H, Dictionary<string, object?> Case) Accepted(string hall, string region, string regionName, string? collection = null)
    {
        var h = new Harness();
        var who = People.Next();
        h.Certificates.Give(who.IdNumber, "111");
        h.Certificates.Give(who.IdNumber, "118");
        var c = People.Case(Code, Paper, collection is null ? null : new() { ["delivery"] = collection }, who);
        c["acceptedBy"] = new Dictionary<string, object?> { ["user"] = "window02", ["department"] = hall, ["region"] = region, ["regionName"] = regionName };
        c["ownerRegion"] = "440305";
        return (h, c);
    }

    [Test]
    public async Task A_case_accepted_in_the_owners_district_passes_straight_through()
    {
        var (h, c) = Accepted("综合窗口", "440305", "南山区");
        var state = await h.StartAsync(Code, c);
        var handOver = h.CaseFile(state)["handOver"]!;
        Assert.Multiple(() =>
        {
            Assert.That(handOver["status"]!.GetValue<string>(), Is.EqualTo("local"));
            Assert.That(h.CaseFile(state)["steps"]!.AsArray().Any(s => s!["opinion"]?.GetValue<string>() == "本地受理，无需转交"), Is.True);
            Assert.That(state.Bookmarks.Single().Payload!["stepName"]!.GetValue<string>(), Is.EqualTo("审核"));
            Assert.That(h.Mail.Requests, Is.Empty, "no originals travel for a local case");
        });
    }

    [Test]
    public async Task A_case_from_another_district_waits_for_the_owner_to_sign_within_a_working_day_while_the_originals_are_posted()
    {
        var (h, c) = Accepted("深圳市福田区沙头街道办事处", "440304", "福田区");
        var state = await h.StartAsync(Code, c);
        var task = state.Bookmarks.Single(b => b.Name == HandOver.ReceiptBookmark).Payload!;
        var handOver = h.CaseFile(state)["handOver"]!;
        var due = DateTimeOffset.Parse(task["dueAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(task["department"]!.GetValue<string>(), Is.EqualTo(Owner));
            Assert.That(task["role"]!.GetValue<string>(), Is.EqualTo("reviewer"));
            Assert.That(task["limitWorkingDays"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(due, Is.GreaterThan(h.Clock.GetUtcNow()).And.LessThan(h.Clock.GetUtcNow().AddDays(2)), "one working day from a Monday morning");
            Assert.That(handOver["status"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(handOver["acceptingHall"]!.GetValue<string>(), Is.EqualTo("深圳市福田区沙头街道办事处"));
            Assert.That(h.Mail.Requests.Single().Item, Is.EqualTo("materials"));
            Assert.That(h.Mail.Requests.Single().ReceiverAddress, Does.Contain("南山派出所"));
            Assert.That(handOver["originalsWaybill"]!.GetValue<string>(), Does.StartWith("EMS"));
            Assert.That(handOver["originals"]!.AsArray().Select(o => o!.GetValue<string>()), Is.EquivalentTo(Paper));
        });

        state = await h.ResumeAsync(state, HandOver.ReceiptBookmark, Action("receive"), "reviewer-nanshan");
        Assert.Multiple(() =>
        {
            Assert.That(h.CaseFile(state)["handOver"]!["status"]!.GetValue<string>(), Is.EqualTo("received"));
            Assert.That(h.CaseFile(state)["handOver"]!["receivedBy"]!.GetValue<string>(), Is.EqualTo("reviewer-nanshan"));
            Assert.That(state.Bookmarks.Single().Payload!["stepName"]!.GetValue<string>(), Is.EqualTo("审核"));
            Assert.That(h.Engine.JournalOf(state.Id).Select(r => r.EventName), Does.Contain("HandedOver").And.Contain("HandOverReceived"));
        });
    }

    [Test]
    public async Task A_late_receipt_is_journaled_as_overdue()
    {
        var (h, c) = Accepted("深圳市福田区沙头街道办事处", "440304", "福田区");
        var state = await h.StartAsync(Code, c);
        h.Clock.Advance(TimeSpan.FromDays(3));
        state = await h.ResumeAsync(state, HandOver.ReceiptBookmark, Action("receive"));
        var received = h.Engine.JournalOf(state.Id).Single(r => r.EventName == "HandOverReceived");
        Assert.That(received.Payload!["overdue"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task The_result_goes_back_to_the_accepting_hall_when_the_applicant_chose_pickup()
    {
        var (h, c) = Accepted("深圳市福田区沙头街道办事处", "440304", "福田区", "pickup");
        var state = await h.StartAsync(Code, c);
        state = await h.ResumeAsync(state, HandOver.ReceiptBookmark, Action("receive"));
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        var collection = state.Bookmarks.Single(b => b.Name == HandOver.CollectionBookmark).Payload!;
        Assert.Multiple(() =>
        {
            Assert.That(collection["department"]!.GetValue<string>(), Is.EqualTo("深圳市福田区沙头街道办事处"));
            Assert.That(collection["role"]!.GetValue<string>(), Is.EqualTo("window"));
            Assert.That(h.Mail.Requests.Count(r => r.Item == "result"), Is.Zero);
        });
        state = await h.ResumeAsync(state, HandOver.CollectionBookmark, Action("collected"), "window02");
        Assert.Multiple(() =>
        {
            Assert.That(h.CaseFile(state)["handOver"]!["collectedBy"]!.GetValue<string>(), Is.EqualTo("window02"));
            Assert.That(state.Bookmarks.Select(b => b.Name), Does.Contain(RequestRating.RatingBookmark));
        });
    }

    [Test]
    public async Task The_result_is_posted_when_the_applicant_chose_post()
    {
        var (h, c) = Accepted("深圳市福田区沙头街道办事处", "440304", "福田区", "post");
        var state = await h.StartAsync(Code, c);
        state = await h.ResumeAsync(state, HandOver.ReceiptBookmark, Action("receive"));
        state = await h.ResumeAsync(state, ReviewTask.TaskBookmark, Action("approve"));
        Assert.Multiple(() =>
        {
            Assert.That(h.Mail.Requests.Count(r => r.Item == "result"), Is.EqualTo(1));
            Assert.That(h.CaseFile(state)["handOver"]!["collection"]!.GetValue<string>(), Is.EqualTo("post"));
            Assert.That(state.Bookmarks.Select(b => b.Name), Does.Contain(SendByPost.TrackingBookmark));
        });
    }

    [TestCase("city", "", "440304", "440305", true)]
    [TestCase("city", "", "440605", "440305", false)]
    [TestCase("district", "", "440304", "440305", false)]
    [TestCase("district", "", "440305", "440305", true)]
    [TestCase("district", "", "440305", "440300", true)]
    [TestCase("regions", "440300,440605", "440605", "440305", true)]
    [TestCase("regions", "440300", "440605", "440305", false)]
    [TestCase("province", "", "440605", "440305", true)]
    [TestCase("province", "", "110105", "440305", false)]
    [TestCase("nationwide", "", null, "440305", true)]
    [TestCase("city", "", null, "440305", false)]
    public void A_hall_may_accept_within_the_scope(string kind, string regions, string? hall, string owner, bool allowed)
    {
        var scope = new AcceptanceScope { Kind = kind, Regions = [.. regions.Split(',', StringSplitOptions.RemoveEmptyEntries)] };
        Assert.That(scope.Allows(hall, owner), Is.EqualTo(allowed));
    }

    [Test]
    public void The_old_scope_string_still_means_what_it_said()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new ServiceMatter { CrossRegionScope = "district" }.EffectiveAcceptance!.Kind, Is.EqualTo(AcceptanceScope.CityKind), "市内跨区通办");
            Assert.That(new ServiceMatter { CrossRegionScope = "cross-city" }.EffectiveAcceptance!.Kind, Is.EqualTo(AcceptanceScope.ProvinceKind), "省内跨市通办");
            Assert.That(new ServiceMatter { CrossRegionScope = "nationwide" }.EffectiveAcceptance!.Kind, Is.EqualTo(AcceptanceScope.NationwideKind));
            Assert.That(new ServiceMatter().EffectiveAcceptance, Is.Null);
        });
    }
}
