using System.Text.Json.Nodes;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GovFlow.Host.Api;

/// <summary>
/// A stage's SMS template: the moment, its name in the hall's words, the text in force, the default, the placeholders
/// it may use and what each stands for.
/// </summary>
public sealed record MessageTemplateView(string Moment, string Name, string Text, string DefaultText, IReadOnlyList<string> Placeholders, IReadOnlyList<MessagePlaceholder> PlaceholderInfo);

/// <summary>A placeholder a template may use: its name as written between braces, what it stands for, and the sample a preview fills in.</summary>
public sealed record MessagePlaceholder(string Name, string Description, string Sample);

/// <summary>A template text rendered with sample values, as an applicant would receive it, and its length in characters.</summary>
public sealed record MessagePreview(string Moment, string Text, int Length);

/// <summary>A new text for a stage's SMS.</summary>
public sealed record MessageTemplateChange(string? Text);

/// <summary>
/// The applicant's SMS at each stage (受理, 补正, 容缺提醒, 延期, 决定, 寄递, 评价, 整改反馈): policy staff read, preview and
/// edit their texts.
/// </summary>
public static class MessageTemplateEndpoints
{
    /// <summary>Maps /api/message-templates.</summary>
    public static void MapMessageTemplates(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/message-templates").WithTags("Message templates").RequireAuthorization(p => p.RequireRole(Roles.Policy));
        templates.MapGet("", List);
        templates.MapPut("/{moment}", Change);
        templates.MapPost("/{moment}/preview", Preview);
    }

    // The same checks as a save, so what previews is what can be saved; nothing is stored.
    private static Ok<MessagePreview> Preview(string moment, MessageTemplateChange change)
    {
        Refuse(moment, change.Text);
        var text = MessageTemplates.Fill(change.Text!, MessageTemplates.SampleValues);
        return TypedResults.Ok(new MessagePreview(moment, text, text.Length));
    }

    private static void Refuse(string moment, string? text)
    {
        if (MessageTemplates.Problems(moment, text) is { Count: > 0 } problems)
            throw new InputException(MessageTemplates.Defaults.ContainsKey(moment) ? "text" : "moment", string.Join("；", problems));
    }

    private static Ok<List<MessageTemplateView>> List(GovFlowDb db) => TypedResults.Ok(Views(db));

    // An edit is an admin change with the text before and after, so who changed what a message says stays on record.
    private static async Task<Ok<MessageTemplateView>> Change(string moment, MessageTemplateChange change, GovFlowDb db, HttpContext http, TimeProvider clock)
    {
        Refuse(moment, change.Text);
        var before = MessageTemplates.Current(db)[moment];
        db.AdminChanges.Add(new AdminChange
        {
            Id = Guid.CreateVersion7().ToString("N"), At = clock.GetUtcNow(), Actor = Caller.From(http.User).UserName,
            Entity = MessageTemplates.Entity, Key = moment, Action = "updated",
            Before = new JsonObject { ["text"] = before }.ToJsonString(), After = new JsonObject { ["text"] = change.Text }.ToJsonString()
        });
        await db.SaveChangesAsync(http.RequestAborted);
        return TypedResults.Ok(Views(db).Single(v => v.Moment == moment));
    }

    private static List<MessageTemplateView> Views(GovFlowDb db)
    {
        var current = MessageTemplates.Current(db);
        return MessageTemplates.Defaults.Select(d => new MessageTemplateView(d.Key, d.Value.Name, current[d.Key], d.Value.Text, d.Value.Placeholders,
            d.Value.Placeholders.Select(p => new MessagePlaceholder(p, MessageTemplates.PlaceholderNames[p], MessageTemplates.SampleValues[p])).ToList())).ToList();
    }
}
