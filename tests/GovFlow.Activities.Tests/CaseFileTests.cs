using System.Text.Json.Nodes;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Supervision;

namespace GovFlow.Activities.Tests;

/// <summary>
/// The case file's parts are records over the stored JSON: a case stored before the parts were typed reads the same,
/// and what the records write keeps the names the API, the UI and the journal know.
/// </summary>
public class CaseFileTests
{
    // A case file as the untyped version wrote it: "O" timestamps, an open pause with an explicit null end.
    private const string StoredBeforeTyping = """
        {"status":"Correction","receivedAt":"2026-11-30T09:00:00.0000000+08:00",
         "pauses":[{"kind":"Correction","start":"2026-11-30","end":null,"reason":"补正材料：照片","legalBasis":"《中华人民共和国行政许可法》第三十二条"}],
         "steps":[{"step":"受理","action":"ToleranceAccepted","handler":"window01","opinion":"容缺受理：照片","start":"2026-11-30T09:00:00.0000000+08:00","end":"2026-11-30T09:05:00.0000000+08:00","department":"综合窗口"}],
         "parallel":{"lead":"市场监管局","members":["消防","环保"],"dueAt":"2026-12-07T18:00:00.0000000+08:00","startedAt":"2026-11-30T10:00:00.0000000+08:00","deemedAgreeOnTimeout":true,
                     "decisions":[{"department":"消防","decision":"agree","reasons":null,"by":"reviewer05","at":"2026-12-01T10:00:00.0000000+08:00","deemed":false}]},
         "tolerance":{"missing":["照片"],"commitment":{"signedBy":"张三"},"supplied":false},
         "waybill":{"item":"result","address":"深圳市南山区粤海街道1号","status":"inTransit","history":[{"status":"created","detail":null,"at":"2026-12-01T10:00:00+08:00"}]}}
        """;

    [Test]
    public void A_case_stored_before_the_parts_were_typed_reads_the_same()
    {
        var file = CaseFile.Read(StoredBeforeTyping);
        Assert.Multiple(() =>
        {
            Assert.That(file.Status, Is.EqualTo(CaseStatus.Correction));
            Assert.That(file.ReceivedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8))));
            Assert.That(file.IsPaused, Is.True);
            Assert.That(file.Pauses.Single().Kind, Is.EqualTo(PauseKind.Correction));
            Assert.That(file.Steps.Single().Department, Is.EqualTo("综合窗口"));
            Assert.That(file.Parallel!.Decisions.Single().By, Is.EqualTo("reviewer05"));
            Assert.That(file.Tolerance!.Missing, Is.EqualTo(new[] { "照片" }));
            Assert.That(file.Tolerance.Commitment!["signedBy"]!.GetValue<string>(), Is.EqualTo("张三"));
            Assert.That(file.Waybill!.History.Single().Status, Is.EqualTo("created"));
            Assert.That(file.Rating, Is.Null);
            Assert.That(file.Supplements, Is.Empty);
        });
    }

    [Test]
    public void Edits_and_appends_are_stored_under_the_names_the_api_knows()
    {
        var file = CaseFile.Read(StoredBeforeTyping);
        var at = new DateTimeOffset(2026, 12, 2, 15, 0, 0, TimeSpan.FromHours(8));
        file.EndPause(at);
        file.Add(CaseParts.Supplements, new MaterialSupplied { Material = "照片", At = at, By = "window01" });
        file.Edit(CaseParts.Tolerance, t => { t.Supplied = true; t.SuppliedAt = at; });
        file.Edit(CaseParts.Rating, r => r.Level = 1);

        var stored = JsonNode.Parse(file.Data.ToJsonString())!;
        Assert.Multiple(() =>
        {
            Assert.That(stored["pauses"]![0]!["end"]!.GetValue<string>(), Is.EqualTo("2026-12-02"));
            Assert.That(stored["supplements"]![0]!["material"]!.GetValue<string>(), Is.EqualTo("照片"));
            Assert.That(stored["tolerance"]!["supplied"]!.GetValue<bool>(), Is.True);
            Assert.That(stored["tolerance"]!["missing"]![0]!.GetValue<string>(), Is.EqualTo("照片"), "an edit keeps what it did not touch");
            Assert.That(stored["rating"]!["level"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(CaseFile.Read(stored.AsObject()).IsPaused, Is.False);
        });
    }

    [Test]
    public void A_case_file_read_outside_its_flow_has_no_workflow() =>
        Assert.Throws<InvalidOperationException>(() => _ = CaseFile.Read(StoredBeforeTyping).Input);
}
