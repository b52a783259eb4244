using System.Text.Json;
using System.Text.Json.Nodes;
using GovFlow.Activities.Matters;
using GovFlow.Host.Api.Contracts;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Host.Api;

/// <summary>
/// What differs between two versions of a definition, in the words policy staff use: the matter's elements (each
/// with its Chinese label and both values as text), its materials and steps (matched by name, each property that
/// differs), and the flow's top-level activities and connections (matched by activity id).
/// </summary>
public static class DefinitionComparison
{
    /// <summary>An item only in the later version.</summary>
    public const string Added = "added";
    /// <summary>An item only in the earlier version.</summary>
    public const string Removed = "removed";
    /// <summary>An item in both, different.</summary>
    public const string Changed = "changed";

    /// <summary>
    /// Compares version <paramref name="from"/> with version <paramref name="to"/> (either may be the later one); an
    /// activity's changed inputs are labelled by the <paramref name="registry"/>'s display names when given.
    /// </summary>
    public static DefinitionChanges Compare(WorkflowDefinition from, WorkflowDefinition to, ActivityRegistry? registry = null)
    {
        var before = MatterNode(from);
        var after = MatterNode(to);
        var (fromFlow, toFlow) = (WorkflowJson.ToJson(from)["root"] as JsonObject, WorkflowJson.ToJson(to)["root"] as JsonObject);
        return new DefinitionChanges(to.DefinitionId ?? from.DefinitionId ?? "", from.Version, to.Version,
            Elements(before, after), Items(before?["materials"], after?["materials"], MaterialLabels, "materials"),
            Items(before?["steps"], after?["steps"], StepLabels, "steps"),
            Activities(fromFlow, toFlow, registry), Connections(fromFlow, toFlow));
    }

    // The matter as its model writes it, so defaults a file leaves out do not read as changes.
    private static JsonObject? MatterNode(WorkflowDefinition d)
    {
        try { return MatterJson.Read(d) is { } m ? JsonSerializer.SerializeToNode(m, MatterJson.Options) as JsonObject : null; }
        catch (JsonException) { return null; }
    }

    private static List<ElementChange> Elements(JsonObject? before, JsonObject? after)
    {
        var a = new Dictionary<string, string>(StringComparer.Ordinal);
        var b = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        if (before is not null) Flatten(before, "", a, order);
        if (after is not null) Flatten(after, "", b, order);
        return [.. order.Distinct().Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
            .Select(k => new ElementChange(k, ElementLabels.GetValueOrDefault(k, k), a.GetValueOrDefault(k), b.GetValueOrDefault(k)))];
    }

    // Every element as text under its path; time limits and lists are one element each, materials and steps are compared as items.
    private static void Flatten(JsonObject o, string prefix, Dictionary<string, string> into, List<string> order)
    {
        foreach (var (key, value) in o)
        {
            var path = prefix + key;
            if (prefix.Length == 0 && key is "materials" or "steps") continue;
            if (value is JsonObject nested && !IsTimeLimit(nested)) Flatten(nested, path + ".", into, order);
            else if (Text(path, value) is { } text)
            {
                into[path] = text;
                order.Add(path);
            }
        }
    }

    private static List<ItemChange> Items(JsonNode? before, JsonNode? after, IReadOnlyDictionary<string, string> labels, string kind)
    {
        var a = Named(before);
        var b = Named(after);
        var changes = new List<ItemChange>();
        foreach (var (key, item) in a)
            if (!b.ContainsKey(key)) changes.Add(new ItemChange(Name(item), Removed, []));
        foreach (var (key, item) in b)
        {
            if (!a.TryGetValue(key, out var old)) { changes.Add(new ItemChange(Name(item), Added, [])); continue; }
            var properties = old.Select(p => p.Key).Concat(item.Select(p => p.Key)).Distinct()
                .Select(p => (p, Before: Text($"{kind}.{p}", old[p]), After: Text($"{kind}.{p}", item[p])))
                .Where(x => x.Before != x.After)
                .Select(x => new ElementChange(x.p, labels.GetValueOrDefault(x.p, x.p), x.Before, x.After)).ToList();
            if (properties.Count > 0) changes.Add(new ItemChange(Name(item), Changed, properties));
        }
        return changes;
    }

    // Items by name, in their order; a second item of the same name is told apart by its place among them.
    private static OrderedDictionary<string, JsonObject> Named(JsonNode? list)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var named = new OrderedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in (list as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Name(item);
            var n = seen[name] = seen.GetValueOrDefault(name) + 1;
            named.Add(n == 1 ? name : $"{name}#{n}", item);
        }
        return named;
    }

    private static string Name(JsonObject item) => item["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static List<ActivityChange> Activities(JsonObject? from, JsonObject? to, ActivityRegistry? registry)
    {
        var a = ActivitiesOf(from);
        var b = ActivitiesOf(to);
        var changes = new List<ActivityChange>();
        foreach (var (id, activity) in a)
            if (!b.ContainsKey(id)) changes.Add(Activity(id, activity, Removed, [], registry));
        foreach (var (id, activity) in b)
        {
            if (!a.TryGetValue(id, out var old)) { changes.Add(Activity(id, activity, Added, [], registry)); continue; }
            var differ = Inputs(old).Concat(Inputs(activity)).Distinct()
                .Where(key => !JsonNode.DeepEquals(old[key], activity[key])).ToList();
            if (differ.Count > 0) changes.Add(Activity(id, activity, Changed, differ, registry));
        }
        return changes;
    }

    private static ActivityChange Activity(string id, JsonObject activity, string change, IReadOnlyList<string> properties, ActivityRegistry? registry)
    {
        var type = activity["type"] is JsonValue t && t.TryGetValue<string>(out var typeName) ? typeName : "";
        var inputs = registry?.Find(type)?.Inputs;
        return new(id, activity["name"] is JsonValue v && v.TryGetValue<string>(out var name) ? name : null, type, change, properties,
            [.. properties.Select(p => p switch
            {
                "name" => "名称",
                "type" => "类型",
                "customProperties" => "自定义属性",
                _ => inputs?.FirstOrDefault(i => string.Equals(i.Name, p, StringComparison.OrdinalIgnoreCase)) is { } input ? input.DisplayNameZh ?? input.DisplayName : p
            })]);
    }

    // Where a node stands on the canvas and Studio's node ids are not what it does.
    private static IEnumerable<string> Inputs(JsonObject activity) =>
        activity.Select(p => p.Key).Where(k => k is not ("id" or "nodeId" or "metadata"));

    private static OrderedDictionary<string, JsonObject> ActivitiesOf(JsonObject? root)
    {
        var byId = new OrderedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var activity in (root?["activities"] as JsonArray ?? []).OfType<JsonObject>())
            if (activity["id"] is JsonValue v && v.TryGetValue<string>(out var id)) byId.TryAdd(id, activity);
        return byId;
    }

    private static List<ConnectionChange> Connections(JsonObject? from, JsonObject? to)
    {
        var a = ConnectionsOf(from);
        var b = ConnectionsOf(to);
        return [.. a.Except(b).Select(c => c with { Change = Removed }), .. b.Except(a).Select(c => c with { Change = Added })];
    }

    private static List<ConnectionChange> ConnectionsOf(JsonObject? root) =>
        [.. (root?["connections"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new ConnectionChange(
            End(c["source"], "activity") ?? "", End(c["source"], "port"), End(c["target"], "activity") ?? "", End(c["target"], "port"), "")).Distinct()];

    private static string? End(JsonNode? end, string key) => end?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool IsTimeLimit(JsonObject o) => o.Count == 2 && o.ContainsKey("value") && o.ContainsKey("unit");

    /// <summary>An element's value as policy staff read it: codes by their names, limits with units, yes or no.</summary>
    private static string? Text(string path, JsonNode? value) => value switch
    {
        null => null,
        JsonObject o when IsTimeLimit(o) => Limit(o),
        JsonObject o => string.Join("，", o.Select(p => Text(path, p.Value)).Where(t => !string.IsNullOrEmpty(t))),
        JsonArray list => string.Join(path == "instantApprovalRules" || path == "fee.items" ? "；" : "、", list.Select(item => ListItem(path, item))),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "是",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "否",
        JsonValue v when v.TryGetValue<string>(out var s) => Coded(path, s),
        JsonValue v => v.ToJsonString(),
        _ => value.ToJsonString()
    };

    private static string ListItem(string path, JsonNode? item) => (path, item) switch
    {
        ("serviceObjects", JsonValue v) when v.TryGetValue<string>(out var c) => MatterCodes.ServiceObjects.GetValueOrDefault(c, c),
        ("handlingForms", JsonValue v) when v.TryGetValue<string>(out var c) => MatterCodes.HandlingForms.GetValueOrDefault(c, c),
        ("instantApprovalRules", JsonObject r) => $"{Text(path, r["name"])}（{Text(path, r["condition"])}）",
        ("fee.items", JsonObject f) => $"{Text(path, f["name"])} {Text(path, f["amount"])} 元",
        ("jointDepartments", JsonObject d) => Text(path, d["name"]) ?? "",
        _ => Text(path, item) ?? ""
    };

    private static string Limit(JsonObject o)
    {
        var value = o["value"]?.ToJsonString() ?? "";
        return (o["unit"] as JsonValue)?.GetValue<string>() switch
        {
            "WD" => $"{value}个工作日",
            "ND" => $"{value}个自然日",
            "WH" => $"{value}个工作小时",
            var unit => $"{value} {unit}"
        };
    }

    private static string Coded(string path, string code) => path switch
    {
        "type" => MatterCodes.Types.GetValueOrDefault(code, code),
        "level" => MatterCodes.Levels.GetValueOrDefault(code, code),
        "caseType" => MatterCodes.CaseTypes.GetValueOrDefault(code, code),
        "result.type" => code switch { "certificate" => "证照", "approval" => "批文", "proof" => "证明", "other" => "其他", _ => code },
        "tolerance.onExpiry" => code switch { "terminate" => "终止办理（退件）", "suspend" => "中止办理", _ => code },
        "crossRegionScope" => code switch { "nationwide" => "全国通办", "cross-province" => "跨省通办", "cross-city" => "跨市通办", "district" => "全区通办", _ => code },
        "materials.form" => code switch { "paper" => "纸质", "electronic" => "电子", "both" => "纸质和电子", _ => code },
        "materials.source" => code switch { "applicant" => "申请人自备", "government" => "政府部门核发", "certificateLibrary" => "电子证照库", "onlineForm" => "在线填写", _ => code },
        "acceptance.kind" => code switch { "district" => "仅实施主体所在区", "city" => "实施主体所在市", "province" => "实施主体所在省", "regions" => "指定地区", "nationwide" => "全国", _ => code },
        "steps.role" => code switch { "window" => "窗口人员", "reviewer" => "审核人员", _ => code },
        _ => code
    };

    /// <summary>The Chinese label of each matter element, by its path in the matter's JSON.</summary>
    public static readonly IReadOnlyDictionary<string, string> ElementLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["code"] = "基本编码", ["implementationCode"] = "实施编码", ["name"] = "事项名称", ["type"] = "事项类型", ["level"] = "行使层级",
        ["department"] = "实施主体", ["departmentUscc"] = "实施主体统一社会信用代码", ["jointDepartments"] = "联办机构",
        ["serviceObjects"] = "服务对象", ["handlingForms"] = "办理形式", ["caseType"] = "办件类型", ["legalBasis"] = "设定依据",
        ["conditions"] = "受理条件", ["fee.charged"] = "是否收费", ["fee.items"] = "收费项目",
        ["result.name"] = "办理结果名称", ["result.type"] = "办理结果类型", ["result.certificateType"] = "结果证照类型",
        ["visits"] = "到办事现场次数", ["flags.appointment"] = "支持预约办理", ["flags.onlinePayment"] = "支持网上支付",
        ["flags.courierDelivery"] = "支持物流快递", ["flags.onlineHandling"] = "支持网上办理", ["crossRegionScope"] = "通办范围",
        ["statutoryLimit"] = "法定办结时限", ["promisedLimit"] = "承诺办结时限",
        ["tolerance.supplementLimit"] = "容缺补正时限", ["tolerance.onExpiry"] = "逾期未补正时", ["tolerance.resumeWithinWorkingDays"] = "中止后恢复期限（工作日）", ["tolerance.remindBeforeWorkingDays"] = "补齐提醒提前量（工作日）",
        ["parallel.lead"] = "并联审批牵头部门", ["parallel.members"] = "并联审批协办部门", ["parallel.memberLimit"] = "协办部门办理时限",
        ["parallel.deemedAgreeOnTimeout"] = "协办超时视为同意", ["instantApprovalRules"] = "秒批规则",
        ["rating.defaultAfterDays"] = "未评价默认满意天数", ["rating.rectifyWithinWorkingDays"] = "差评整改时限（工作日）",
        ["yellowWorkingDays"] = "黄灯预警提前量（工作日）", ["correctionLimit"] = "补正材料期限",
        ["acceptance.kind"] = "受理范围", ["acceptance.regions"] = "受理地区（行政区划代码）"
    };

    /// <summary>The Chinese label of each material property.</summary>
    public static readonly IReadOnlyDictionary<string, string> MaterialLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "材料名称", ["issuingBody"] = "出具单位", ["originals"] = "原件份数", ["copies"] = "复印件份数", ["required"] = "必备材料",
        ["condition"] = "需要提交的条件", ["form"] = "材料形式", ["source"] = "材料来源", ["main"] = "主审要件",
        ["certificateReplaceable"] = "可用电子证照免交", ["certificateType"] = "电子证照类型", ["toleranceAllowed"] = "可容缺后补", ["sample"] = "样表或空白表格"
    };

    /// <summary>The Chinese label of each step property.</summary>
    public static readonly IReadOnlyDictionary<string, string> StepLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "环节名称", ["limit"] = "环节时限", ["department"] = "办理部门", ["role"] = "办理岗位"
    };
}
