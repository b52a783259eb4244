namespace GovFlow.Activities.Matters;

/// <summary>
/// The outcomes GovFlow's steps take, in the hall's words, as the diagram labels their arrows (ClientApp format.ts
/// outcomeNames): for the validator's messages and the dry run's journal.
/// </summary>
public static class OutcomeNames
{
    private static readonly Dictionary<string, string> Names = new()
    {
        ["Done"] = "完成", ["Unavailable"] = "系统不可用", ["Approved"] = "通过", ["Rejected"] = "不通过", ["Returned"] = "退回",
        ["Rectified"] = "已整改", ["Rated"] = "已评价", ["NotFound"] = "未查到", ["Invalid"] = "已失效", ["Found"] = "已调取",
        ["Failed"] = "失败", ["Delivered"] = "已送达", ["NotAccepted"] = "不予受理", ["Accepted"] = "受理", ["Issued"] = "已出证",
        ["ToleranceAccepted"] = "容缺受理", ["Supplied"] = "已补齐", ["ManualReview"] = "转人工", ["Expired"] = "逾期",
        ["PartiallyApproved"] = "部分通过", ["AllApproved"] = "全部通过", ["Default"] = "其他情况", ["True"] = "是", ["False"] = "否"
    };

    /// <summary>The outcome's Chinese name, or the outcome itself when it has none (a custom switch case is named by its author).</summary>
    public static string Of(string outcome) => Names.GetValueOrDefault(outcome, outcome);
}
