using GovFlow.Workflows.Runtime;

namespace GovFlow.Activities.Cases;

/// <summary>
/// How the applicant wants the result (窗口领取 or 邮寄送达), chosen at acceptance and carried in the application's data.
/// One declaration for every step that hands a result over (the mailing step, the 通办 hand-over) and for the submission check.
/// </summary>
public static class ResultDelivery
{
    /// <summary>The application's field with the applicant's choice: <see cref="ByPost"/> or <see cref="AtWindow"/>.</summary>
    public const string ChoiceField = "delivery";

    /// <summary>The application's field with the address the applicant gave for the post (else the applicant's address).</summary>
    public const string AddressField = "deliveryAddress";

    /// <summary>The result is posted (邮寄送达).</summary>
    public const string ByPost = "post";

    /// <summary>The result is collected at the window (窗口领取).</summary>
    public const string AtWindow = "pickup";

    /// <summary>The applicant's choice: <see cref="AtWindow"/> when they chose to collect the result, else <see cref="ByPost"/>.</summary>
    public static string Of(CaseInput input) =>
        Values.ToText(input.Data.GetValueOrDefault(ChoiceField)) == AtWindow ? AtWindow : ByPost;
}
