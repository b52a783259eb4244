using GovFlow.Activities.Tasks;

namespace GovFlow.Activities.Tests;

/// <summary>What the journal hashes of a handler's decision: the action and every field the command carried.</summary>
[TestFixture]
public class TaskCommandTests
{
    [Test]
    public void An_approval_keeps_only_what_was_given()
    {
        var json = new TaskCommand("approve", "材料齐全").ToJson();
        Assert.That(json.Select(p => $"{p.Key}={p.Value}"), Is.EqualTo(new[] { "action=approve", "opinion=材料齐全" }));
    }

    [Test]
    public void An_extension_keeps_its_days_and_its_approver()
    {
        var json = new TaskCommand("extend", "需组织专家论证", Days: "5", Approver: "张局长").ToJson();
        Assert.Multiple(() =>
        {
            Assert.That(json["days"]!.GetValue<string>(), Is.EqualTo("5"));
            Assert.That(json["approver"]!.GetValue<string>(), Is.EqualTo("张局长"));
            Assert.That(json["opinion"]!.GetValue<string>(), Is.EqualTo("需组织专家论证"));
        });
    }

    [Test]
    public void A_correction_keeps_its_materials_and_a_transfer_its_target()
    {
        Assert.That(new TaskCommand("requestCorrection", "不清晰", Materials: ["银行卡", "照片"]).ToJson()["materials"]!.AsArray().Select(m => m!.GetValue<string>()),
            Is.EqualTo(new[] { "银行卡", "照片" }));
        Assert.That(new TaskCommand("transfer", "转办", Assignee: "reviewer02").ToJson()["assignee"]!.GetValue<string>(), Is.EqualTo("reviewer02"));
        Assert.That(new TaskCommand("approve", Materials: []).ToJson().ContainsKey("materials"), Is.False, "an empty list was not given");
    }
}
