using GovFlow.Activities.Matters;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Model;
using static GovFlow.Activities.Tests.Harness;

namespace GovFlow.Activities.Tests;

/// <summary>秒批 on trusted data: rules read the population database and certificates, never what the applicant declared.</summary>
public class TrustedDataTests
{
    private static readonly ActivityRegistry Registry = GovFlowActivities.CreateRegistry();

    private static IReadOnlyList<MatterProblem> Validate(WorkflowDefinition definition)
    {
        var store = new InMemoryWorkflowDefinitionStore();
        var d = store.Add(definition);
        return new MatterValidator(new WorkflowCompiler(Registry, Workflows.Expressions.ExpressionEvaluators.CreateDefault(), store)).Validate(d, "test.json");
    }

    [Test]
    public void An_instant_approval_rule_reading_a_self_declared_form_field_is_refused_at_its_condition()
    {
        var definition = Matter("44030007009");
        var matter = MatterJson.Read(definition)!;
        matter.InstantApprovalRules[2].Condition = "criminalRecord === false";
        MatterJson.Write(definition, matter);
        var problem = Validate(definition).Single();
        Assert.That(problem.Field, Is.EqualTo("instantApprovalRules[2].condition"));
        Assert.That(problem.Message, Is.EqualTo("秒批规则只能依据证照、人口库等可信数据，不能依据申请人自行填报的“criminalRecord”"));
    }

    [Test]
    public void Rules_over_the_population_record_certificates_and_today_are_accepted_and_the_shipped_instant_matters_pass()
    {
        var definition = Matter("44030007009");
        var matter = MatterJson.Read(definition)!;
        matter.InstantApprovalRules.Add(new ApprovalRule { Name = "户籍在深圳", Condition = "population.hukouCity === '深圳市' && certificates.t111 != null && today >= '2020-01-01'" });
        MatterJson.Write(definition, matter);
        Assert.That(Validate(definition), Is.Empty);
        Assert.That(Validate(Matter("44030010010")), Is.Empty);
        // A material condition may still read the form: only what decides without a person must be trusted.
        Assert.That(Validate(Matter("44030505001")), Is.Empty);
    }

    [Test]
    public async Task The_rule_scope_holds_the_population_record_and_a_form_field_of_the_same_name_cannot_replace_it()
    {
        var h = new Harness();
        var who = People.Next(1995);
        h.Certificates.Give(who.IdNumber, "111");
        h.Population.Add(who.IdNumber, criminalRecord: true);
        // The applicant declares no record and even sends a forged "population" object: the database's answer decides.
        var state = await h.StartAsync("44030007009", People.Case("44030007009", ["无犯罪记录证明申请表"],
            new() { ["age"] = 31, ["criminalRecord"] = false, ["population"] = new Dictionary<string, object?> { ["criminalRecord"] = false, ["age"] = 31 } }, who));
        var file = h.CaseFile(state);
        Assert.That(file["ruleCheck"]!["failed"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { "无违法犯罪记录" }));
        Assert.That(file["population"]!["outcome"]!.GetValue<string>(), Is.EqualTo("Found"));
        Assert.That(file["population"]!["data"]!["criminalRecord"]!.GetValue<bool>(), Is.True);
        Assert.That(h.Population.Queries.Single().Reason, Is.EqualTo("核验申请人年龄及违法犯罪记录"));
        Assert.That(state.Bookmarks.Single().Payload!["stepName"]!.GetValue<string>(), Is.EqualTo("人工审核"));
    }

    [Test]
    public async Task Without_a_population_record_the_rules_fail_and_a_person_reviews()
    {
        var h = new Harness();
        var who = People.Next(1995);
        h.Certificates.Give(who.IdNumber, "111");
        h.Population.Down = true;
        var state = await h.StartAsync("44030007009", People.Case("44030007009", ["无犯罪记录证明申请表"], new() { ["age"] = 31, ["criminalRecord"] = false }, who));
        var file = h.CaseFile(state);
        Assert.That(file["population"]!["outcome"]!.GetValue<string>(), Is.EqualTo("Unavailable"));
        Assert.That(file["ruleCheck"]!["failed"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { "申请人已满16周岁", "无违法犯罪记录" }));
    }

    [Test]
    public async Task The_car_lottery_extension_approves_on_the_lottery_code_certificate_and_the_cars_registered()
    {
        var h = new Harness();
        var who = People.Next(1988);
        h.Certificates.Give(who.IdNumber, "111");
        h.Certificates.Give(who.IdNumber, "124");
        h.Certificates.Give(who.IdNumber, "127", validTo: new DateOnly(2026, 12, 31));
        h.Population.Add(who.IdNumber, cars: 0);
        var approved = await h.StartAsync("44030010010", People.Case("44030010010", [], null, who));
        Assert.That(h.CaseFile(approved)["ruleCheck"]!["failed"]!.AsArray(), Is.Empty);

        var owner = People.Next(1988);
        h.Certificates.Give(owner.IdNumber, "111");
        h.Certificates.Give(owner.IdNumber, "124");
        h.Certificates.Give(owner.IdNumber, "127", validTo: new DateOnly(2026, 12, 31));
        h.Population.Add(owner.IdNumber, cars: 1);
        var manual = await h.StartAsync("44030010010", People.Case("44030010010", [], new() { ["carsOwned"] = 0, ["codeValidUntil"] = "2030-01-01" }, owner));
        Assert.That(h.CaseFile(manual)["ruleCheck"]!["failed"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { "名下无本市登记小汽车" }));
    }

    [Test]
    public void The_designer_offers_the_population_names_for_conditions()
    {
        var names = MatterCaseFields.For([], []).Select(f => f.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "population.age", "population.hukouCity", "population.criminalRecord", "population.carsRegistered" }));
    }
}
