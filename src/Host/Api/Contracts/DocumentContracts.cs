namespace GovFlow.Host.Api.Contracts;

/// <summary>An official notice (文书) issued to a case.</summary>
/// <param name="Id">Document id.</param>
/// <param name="Kind">receipt, acceptance, correction, notAccepted, tolerance, extension, specialProcedure, approval, refusal or delivery.</param>
/// <param name="Title">The title printed on it (受理通知书, 不予受理决定书...).</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="Hash">Hex hash of the PDF's bytes, as recorded in the case's journal: a reprint must hash to it.</param>
/// <param name="Algorithm">The hash algorithm (SM3).</param>
/// <param name="JournalSequence">The journal record that carries the hash.</param>
/// <param name="Links">Where to fetch its printed forms.</param>
public sealed record CaseDocumentView(string Id, string Kind, string Title, DateTimeOffset CreatedAt, string Hash, string Algorithm, long JournalSequence, CaseDocumentLinks Links);

/// <summary>A notice's printed forms: the PDF and the printable A4 HTML page, both the copies stored at issue.</summary>
/// <param name="Pdf">The PDF.</param>
/// <param name="Html">The HTML page.</param>
public sealed record CaseDocumentLinks(string Pdf, string Html);
