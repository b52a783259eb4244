using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace GovFlow.Host.Persistence;

/// <summary>
/// The migrations GovFlow wrote by hand before EF Core's tools generated them. A SQLite or PostgreSQL database they
/// created has exactly the schema of the generated baseline, so it adopts the baseline instead of running it.
/// </summary>
public static class LegacyMigrations
{
    /// <summary>The last hand-written migration: a database that has it has the baseline's schema.</summary>
    public const string Last = "20261203300001_TaskYellow";

    /// <summary>Every hand-written migration id, as <c>__EFMigrationsHistory</c> of an older database lists them.</summary>
    public static readonly IReadOnlySet<string> Ids = new HashSet<string>(StringComparer.Ordinal)
    {
        "20261122000001_Initial", "20261122000002_UsersAndSnapshots", "20261122000003_InboxIndexes", "20261122000004_ServiceCallOutbox",
        "20261202000005_Incidents", "20261202000006_DepartmentHeads", "20261202000007_DefinitionStamps", "20261202000008_LightsAndRedCards",
        "20261203000009_SweepFailures", "20261203000010_CalendarYears", "20261203100001_SignInSecurity", "20261203100002_People",
        "20261203200001_JournalAlgorithm", "20261203200002_JournalCheckpoints", "20261203200003_PersonalDataReveals", Last,
    };

    /// <summary>
    /// Records the generated baseline as applied on a database the hand-written migrations brought up to
    /// <see cref="Last"/>, so <c>Migrate</c> goes on from there; stops on one they left part-way, which has to be
    /// upgraded by the last GovFlow that carried them first. A new or already adopted database is left alone.
    /// </summary>
    public static void Adopt(GovFlowDb db)
    {
        var baseline = db.Database.GetMigrations().First();
        var applied = db.Database.GetAppliedMigrations().ToHashSet(StringComparer.Ordinal);
        if (applied.Contains(baseline) || !applied.Overlaps(Ids)) return;
        if (!applied.Contains(Last))
            throw new InvalidOperationException(
                $"数据库架构版本过旧：它的最后一个迁移是 {applied.Where(Ids.Contains).Max(StringComparer.Ordinal)}。" +
                $"The database was migrated by hand-written migrations only up to {applied.Where(Ids.Contains).Max(StringComparer.Ordinal)}: " +
                $"start the GovFlow release that ends with migration {Last} (commit e1670dc) on it once, then this one.");
        var insert = db.GetService<IHistoryRepository>().GetInsertScript(new HistoryRow(baseline, ProductInfo.GetVersion()));
        try
        {
            db.Database.ExecuteSqlRaw(insert);
        }
        catch (System.Data.Common.DbException) when (db.Database.GetAppliedMigrations().Contains(baseline))
        {
            // Another node sharing the database adopted it at the same moment.
        }
    }
}
