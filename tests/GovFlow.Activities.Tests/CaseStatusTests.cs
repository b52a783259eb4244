using GovFlow.Activities.Cases;

namespace GovFlow.Activities.Tests;

/// <summary>A case's status moves only along the allowed transitions, and a decided case stays decided.</summary>
public class CaseStatusTests
{
    [TestCase(CaseStatus.Received, CaseStatus.Accepted)]
    [TestCase(CaseStatus.Received, CaseStatus.Correction)]
    [TestCase(CaseStatus.Correction, CaseStatus.Accepted)]
    [TestCase(CaseStatus.Correction, CaseStatus.NotAccepted)]
    [TestCase(CaseStatus.Accepted, CaseStatus.InReview)]
    [TestCase(CaseStatus.InReview, CaseStatus.Correction)]
    [TestCase(CaseStatus.Correction, CaseStatus.InReview)]
    [TestCase(CaseStatus.InReview, CaseStatus.Refused)]
    [TestCase(CaseStatus.InReview, CaseStatus.Completed)]
    [TestCase(CaseStatus.Suspended, CaseStatus.InReview)]
    [TestCase(CaseStatus.Completed, CaseStatus.Completed)]
    public void Allowed(string from, string to) => Assert.That(CaseStatus.Refusal(from, to), Is.Null);

    [TestCase(CaseStatus.Completed, CaseStatus.Refused, "最终状态")]
    [TestCase(CaseStatus.Refused, CaseStatus.InReview, "最终状态")]
    [TestCase(CaseStatus.Withdrawn, CaseStatus.Accepted, "最终状态")]
    [TestCase(CaseStatus.NotAccepted, CaseStatus.Correction, "最终状态")]
    [TestCase(CaseStatus.InReview, CaseStatus.Received, "已接件")]
    [TestCase(CaseStatus.InReview, CaseStatus.NotAccepted, "受理决定")]
    [TestCase(CaseStatus.InReview, CaseStatus.Accepted, "受理决定")]
    public void Refused(string from, string to, string why) => Assert.That(CaseStatus.Refusal(from, to), Does.Contain(why));
}
