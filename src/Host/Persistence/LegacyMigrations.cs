using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace GovFlow.Host.Persistence;

/// <summary>
/// The migrations GovFlow wrote by hand before EF Core's tools generated them. A SQLite or PostgreSQL database they
/// created has exactly the schema of the generated baseline (plus the changes of the hand-written migrations that
/// came after it, each of which has a generated twin), so it adopts those migrations instead of running them.
/// </summary>
public static class LegacyMigrations
{
    /// <summary>The hand-written migration whose schema the generated baseline describes (main at e1670dc).</summary>
    public const string BaselineSchema = "20261203300001_TaskYellow";

    /// <summary>Hand-written migrations after <see cref="BaselineSchema"/>, each with the name of its generated twin.</summary>
    private static readonly (string Legacy, string Generated)[] Twins = [("20261203400002_UserOtherRoles", "UserOtherRoles")];

    /// <summary>Every hand-written migration id, as <c>__EFMigrationsHistory</c> of an older database lists them.</summary>
    public static readonly IReadOnlySet<string> Ids = new HashSet<string>(StringComparer.Ordinal)
    {
        "20261122000001_Initial", "20261122000002_UsersAndSnapshots", "20261122000003_InboxIndexes", "20261122000004_ServiceCallOutbox",
        "20261202000005_Incidents", "20261202000006_DepartmentHeads", "20261202000007_DefinitionStamps", "20261202000008_LightsAndRedCards",
        "20261203000009_SweepFailures", "20261203000010_CalendarYears", "20261203100001_SignInSecurity", "20261203100002_People",
        "20261203200001_JournalAlgorithm", "20261203200002_JournalCheckpoints", "20261203200003_PersonalDataReveals", BaselineSchema,
        "20261203400002_UserOtherRoles",
    };

    /// <summary>
    /// Records the generated baseline (and the twin of every later hand-written migration the database has) as
    /// applied on a database the hand-written migrations brought up to <see cref="BaselineSchema"/>, so
    /// <c>Migrate</c> goes on from there; stops on one they left part-way, which has to be upgraded by the GovFlow
    /// that carried them first. A new or already adopted database is left alone.
    /// </summary>
    public static void Adopt(GovFlowDb db)
    {
        var applied = db.Database.GetAppliedMigrations().ToHashSet(StringComparer.Ordinal);
        if (!applied.Overlaps(Ids)) return;
        if (!applied.Contains(BaselineSchema))
        {
            var last = applied.Where(Ids.Contains).Max(StringComparer.Ordinal);
            throw new InvalidOperationException(
                $"数据库架构版本过旧（最后的迁移是 {last}），请先用提交 e1670dc 的 GovFlow 启动一次，再启动本版本。" +
                $" The database was migrated by hand-written migrations only up to {last}: start the GovFlow of commit e1670dc" +
                $" (its last migration is {BaselineSchema}) on it once, then this one.");
        }
        var generated = db.Database.GetMigrations().ToList();
        var adopted = new List<string> { generated[0] };
        foreach (var (legacy, twin) in Twins)
            if (applied.Contains(legacy)) adopted.Add(generated.Single(id => id.EndsWith("_" + twin, StringComparison.Ordinal)));
        var history = db.GetService<IHistoryRepository>();
        foreach (var id in adopted.Where(id => !applied.Contains(id)))
        {
            try
            {
                db.Database.ExecuteSqlRaw(history.GetInsertScript(new HistoryRow(id, ProductInfo.GetVersion())));
            }
            catch (System.Data.Common.DbException) when (db.Database.GetAppliedMigrations().Contains(id))
            {
                // Another node sharing the database adopted it at the same moment.
            }
        }
    }
}
