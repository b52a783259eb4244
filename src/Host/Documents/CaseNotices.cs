using System.Text.Json.Nodes;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Cases;
using GovFlow.Activities.Matters;
using GovFlow.Host.Persistence;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Host.Documents;

/// <summary>
/// Issues a case's official notices in the step that makes them due: renders each, stages its row, and chains a
/// <see cref="EventName"/> record with its hashes into the case's journal. All of it is committed with the step, so a
/// crash leaves a case with the step and its notices or with neither, and a step that loses a race stores none.
/// </summary>
public sealed class CaseNotices(DocumentOptions options, WorkingCalendar calendar)
{
    /// <summary>The journal record's event name.</summary>
    public const string EventName = "DocumentIssued";

    /// <summary>The journal record's activity type, marking it as the host's.</summary>
    public const string ActivityType = "GovFlow.Document";

    private NoticePdf? _pdf;

    // The font is checked when the first notice is printed, not at start-up: a host that never issues one runs without it.
    private NoticePdf Pdf => _pdf ??= new NoticePdf(options);

    /// <summary>
    /// Stages the notices the case file after <paramref name="step"/> calls for and <paramref name="before"/> (the case
    /// file before it; null for a new case) did not, appending their journal records after <paramref name="last"/> and
    /// moving the state's chain head past them. Returns the journal records to store.
    /// </summary>
    public IReadOnlyList<JournalRecord> Issue(GovFlowDb db, CaseRecord record, CaseFile? before, WorkflowStep step, ServiceMatter? matter, JournalRecord last, DateTimeOffset now)
    {
        var state = step.State;
        var after = CaseFile.Read(state.Properties[CaseFile.PropertyName] as JsonObject ?? []);
        var deciding = state.Bookmarks.Where(b => b.Name == Activities.Steps.Acceptance.DecisionBookmark).ToList();
        var issued = before is null ? [] : NoticeKinds.Due(before, deciding.Any(b => step.PreviousBookmarks.Contains(b.Id))).Select(d => d.Key).ToHashSet();
        var due = NoticeKinds.Due(after, deciding.Count > 0).Where(d => !issued.Contains(d.Key)).ToList();
        if (due.Count == 0) return [];
        // A notice the file stopped calling for and calls for again (a section the flow rewrites, such as the waybill
        // of a second posting) was issued already: the stored keys are asked only when the diff finds something.
        var stored = db.CaseDocuments.Where(d => d.CaseId == record.Id).Select(d => d.Key).ToHashSet();
        stored.UnionWith(db.CaseDocuments.Local.Where(d => d.CaseId == record.Id).Select(d => d.Key));
        due.RemoveAll(d => stored.Contains(d.Key));
        if (due.Count == 0) return [];
        var journal = new Journal(state.JournalSequence, state.JournalHash);
        var records = new List<JournalRecord>();
        foreach (var notice in due)
        {
            var content = NoticeWriter.Write(notice, record, after, matter, calendar, options, now);
            var pdf = Pdf.Render(content);
            var html = NoticeHtml.Render(content);
            var document = new CaseDocumentRecord
            {
                Id = Guid.CreateVersion7().ToString("N"), CaseId = record.Id, Key = notice.Key, Kind = notice.Kind, Title = content.Title, CreatedAt = now,
                Algorithm = JournalAlgorithms.Sm3, PdfHash = Hash(pdf), HtmlHash = Hash(html), Pdf = Convert.ToBase64String(pdf), Html = System.Text.Encoding.UTF8.GetString(html)
            };
            var entry = journal.Append(new JournalRecord
            {
                Timestamp = now, WorkflowInstanceId = state.Id, ActivityInstanceId = last.ActivityInstanceId, ActivityId = last.ActivityId, NodeId = last.NodeId,
                ActivityType = ActivityType, EventName = EventName, Actor = last.Actor, Message = $"出具{content.Title}",
                Payload = new JsonObject
                {
                    ["documentId"] = document.Id, ["key"] = document.Key, ["kind"] = document.Kind, ["title"] = document.Title,
                    ["algorithm"] = document.Algorithm, ["pdfHash"] = document.PdfHash, ["htmlHash"] = document.HtmlHash
                }
            });
            document.JournalSequence = entry.Sequence;
            db.Set<CaseDocumentRecord>().Add(document);
            records.Add(entry);
        }
        state.JournalSequence = journal.LastSequence;
        state.JournalHash = journal.LastHash;
        return records;
    }

    /// <summary>The hex hash of a printed form, as the journal records it.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(JournalAlgorithms.Hash(JournalAlgorithms.Sm3, bytes));
}
