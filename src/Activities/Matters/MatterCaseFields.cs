using GovFlow.Activities.Steps;

namespace GovFlow.Activities.Matters;

/// <summary>A name a material condition or an instant-approval rule may read, with what it is.</summary>
/// <param name="Name">As written in JavaScript: <c>age</c>, <c>applicant.name</c>, <c>certificates.t111</c>.</param>
/// <param name="Label">What it is, in Chinese.</param>
/// <param name="Type"><c>number</c>, <c>boolean</c>, <c>string</c> or <c>object</c>.</param>
public sealed record MatterCaseField(string Name, string Label, string Type);

/// <summary>
/// What a condition can use: what <see cref="Checklist.Condition"/> puts in every case's rule scope (today, the applicant,
/// the certificates found, the population record) and the form fields the matters' conditions already read, so a designer writes
/// <c>age &gt;= 80</c> from a list rather than from memory.
/// </summary>
public static class MatterCaseFields
{
    // The form fields the catalog's conditions read, in the hall's words; a field not named here is offered by its name.
    private static readonly Dictionary<string, (string Label, string Type)> Known = new()
    {
        ["age"] = ("申请人年龄（周岁，由身份证号算出）", "number"),
        ["onMinimumAllowance"] = ("是否享受最低生活保障", "boolean"),
        ["married"] = ("是否已婚", "boolean"),
        ["agent"] = ("是否委托代理人办理", "boolean"),
        ["housing"] = ("住房情况（'owned' 自有，'rented' 租住）", "string"),
        ["hasDisabledMember"] = ("家庭成员中是否有残疾人", "boolean"),
        ["criminalRecord"] = ("是否有犯罪记录（申请人自行填报，秒批请用 population.criminalRecord）", "boolean"),
        ["carsOwned"] = ("名下机动车数量（申请人自行填报，秒批请用 population.carsRegistered）", "number"),
        ["codeValidUntil"] = ("指标有效期至（yyyy-MM-dd，申请人自行填报）", "string"),
    };

    /// <summary>What the population database (人口库) lookup puts in the rule scope as <c>population.*</c> (null when not found).</summary>
    public static readonly IReadOnlyList<MatterCaseField> Population =
    [
        new("population.name", "人口库：姓名", "string"),
        new("population.birthDate", "人口库：出生日期（yyyy-MM-dd）", "string"),
        new("population.age", "人口库：周岁年龄", "number"),
        new("population.hukouCity", "人口库：户籍所在市（如“深圳市”）", "string"),
        new("population.hukouDistrict", "人口库：户籍所在区划代码（如 440305）", "string"),
        new("population.alive", "人口库：是否健在", "boolean"),
        new("population.criminalRecord", "人口库：是否有违法犯罪记录（公安比对）", "boolean"),
        new("population.carsRegistered", "人口库：本市登记的小汽车数量（车管所）", "number"),
    ];

    /// <summary>Every name a condition may use, given the matters whose form fields to offer and the certificate types (code, name).</summary>
    public static IReadOnlyList<MatterCaseField> For(IEnumerable<ServiceMatter> matters, IEnumerable<(string Code, string Name)> certificateTypes)
    {
        var fields = new List<MatterCaseField>
        {
            new("age", Known["age"].Label, "number"),
            new("today", "今天的日期（yyyy-MM-dd）", "string"),
            new("applicant.name", "申请人姓名或名称", "string"),
            new("applicant.idNumber", "申请人证件号码", "string"),
            new("applicant.idType", "申请人证件类型代码（111 居民身份证）", "string"),
        };
        var used = matters.SelectMany(m => m.Materials.Select(x => x.Condition).Concat(m.InstantApprovalRules.Select(r => r.Condition)))
            .Where(c => !string.IsNullOrWhiteSpace(c)).SelectMany(c => Checklist.FormFields(c!));
        foreach (var name in Known.Keys.Concat(used).Distinct().Where(n => fields.All(f => f.Name != n)).Order(StringComparer.Ordinal))
            fields.Add(Known.TryGetValue(name, out var k) ? new(name, k.Label, k.Type) : new(name, $"表单字段“{name}”", "string"));
        fields.AddRange(Population);
        // A condition reads a certificate found for the case as certificates.t<type code> (its data fields, or null when none).
        foreach (var (code, name) in certificateTypes)
            fields.Add(new($"certificates.t{code}", $"已调取的{name}（未调取到为 null）", "object"));
        return fields;
    }
}
