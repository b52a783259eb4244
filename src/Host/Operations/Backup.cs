using System.Globalization;
using GovFlow.Host.Persistence;
using Microsoft.Data.Sqlite;
using Quartz;

namespace GovFlow.Host.Operations;

/// <summary>What a backup wrote: the file, the cases in it and its size.</summary>
public sealed record BackupResult(string File, long Cases, long Bytes);

/// <summary>What a restore did: the cases restored, and where the database it replaced was moved (null if there was none).</summary>
public sealed record RestoreResult(string Database, long Cases, string? MovedAside);

/// <summary>
/// Online backup and restore of the SQLite database. A backup copies the database through SQLite's backup API in
/// one step, under one read transaction: with write-ahead logging the host keeps writing meanwhile, and the copy is
/// the database as of one commit, never half a step. The copy is checked before it is named as a backup.
/// </summary>
public static class SqliteBackup
{
    /// <summary>The database file a SQLite connection string names.</summary>
    public static string DatabaseFile(string connectionString) => Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);

    /// <summary>
    /// Copies the database to <paramref name="target"/> (never over an existing file): a single file in rollback
    /// journal mode, its integrity checked; throws <see cref="InvalidDataException"/> when the copy does not check.
    /// </summary>
    public static BackupResult Backup(string connectionString, string target)
    {
        target = Path.GetFullPath(target);
        if (File.Exists(target)) throw new IOException($"{target} 已存在，不会覆盖");
        var database = DatabaseFile(connectionString);
        if (!File.Exists(database)) throw new FileNotFoundException($"数据库 {database} 不存在（数据目录是否正确？）", database);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Written under another name and renamed once checked: a file named like a backup is a whole one.
        var partial = target + ".partial";
        File.Delete(partial);
        long cases;
        try
        {
            // ReadWrite, not ReadWriteCreate: a mistyped data folder must not leave an empty database behind.
            using (var source = Open(new SqliteConnectionStringBuilder(connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite }))
            using (var copy = Open(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }))
            {
                source.BackupDatabase(copy);
                // The copy inherits write-ahead logging; one self-contained file is what an operator moves around.
                Scalar(copy, "PRAGMA journal_mode=DELETE;");
                cases = Check(copy);
            }
            File.Move(partial, target);
        }
        finally
        {
            File.Delete(partial);
        }
        return new BackupResult(target, cases, new FileInfo(target).Length);
    }

    /// <summary>
    /// Puts a backup in place of the database (the host must be stopped): checks the backup's integrity first, then
    /// moves the current database aside together with its write-ahead log (so the log is never replayed onto the
    /// backup, and the old database stays whole), removes the shared-memory file and copies the backup in.
    /// </summary>
    public static RestoreResult Restore(string backupFile, string connectionString, DateTimeOffset now)
    {
        backupFile = Path.GetFullPath(backupFile);
        if (!File.Exists(backupFile)) throw new FileNotFoundException($"{backupFile} 不存在", backupFile);
        long cases;
        using (var backup = Open(new SqliteConnectionStringBuilder { DataSource = backupFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }))
            cases = Check(backup);
        var database = DatabaseFile(connectionString);
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        string? aside = null;
        if (File.Exists(database))
        {
            aside = $"{database}.before-restore-{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
            File.Move(database, aside);
            if (File.Exists(database + "-wal")) File.Move(database + "-wal", aside + "-wal");
        }
        File.Delete(database + "-wal");
        File.Delete(database + "-shm");
        var incoming = database + ".restoring";
        File.Copy(backupFile, incoming, overwrite: true);
        File.Move(incoming, database);
        return new RestoreResult(database, cases, aside);
    }

    // integrity_check reads every page: a backup that answers "ok" is one SQLite can open and read whole.
    private static long Check(SqliteConnection connection)
    {
        var integrity = Convert.ToString(Scalar(connection, "PRAGMA integrity_check;"), CultureInfo.InvariantCulture);
        if (integrity != "ok") throw new InvalidDataException($"备份文件未通过完整性检查：{integrity}");
        try { return Convert.ToInt64(Scalar(connection, "SELECT COUNT(*) FROM cases;"), CultureInfo.InvariantCulture); }
        catch (SqliteException ex) { throw new InvalidDataException($"不是 GovFlow 数据库：{ex.Message}", ex); }
    }

    private static SqliteConnection Open(SqliteConnectionStringBuilder builder)
    {
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

/// <summary>
/// Scheduled backups of a SQLite database: <c>GovFlow:Backup:Cron</c> (a Quartz cron expression, e.g.
/// <c>0 30 2 * * ?</c> for 02:30 every day; no backups unless set), <c>GovFlow:Backup:Directory</c> (default
/// <c>DATA_DIR/backups</c>) and <c>GovFlow:Backup:Keep</c> (the newest backups kept, default 7).
/// </summary>
public sealed record BackupOptions(string Connection, string Directory, int Keep)
{
    /// <summary>The options, or null when no schedule is configured or the database is not SQLite.</summary>
    public static BackupOptions? From(IConfiguration configuration)
    {
        var (provider, connection) = Database.Connection(configuration);
        if (provider != "sqlite" || configuration["GovFlow:Backup:Cron"] is not { Length: > 0 }) return null;
        var directory = configuration["GovFlow:Backup:Directory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Database.DataDirectory(configuration), "backups");
        return new BackupOptions(connection, directory, Math.Max(1, configuration.GetValue("GovFlow:Backup:Keep", 7)));
    }

    /// <summary>Adds the backup job and its cron trigger to Quartz when a schedule is configured.</summary>
    public static void Schedule(IQuartzBuilder quartz, IServiceCollection services, IConfiguration configuration)
    {
        if (From(configuration) is not { } options) return;
        services.AddSingleton(options);
        quartz.AddJob<BackupJob>(j => j.WithIdentity(BackupJob.Key).StoreDurably());
        quartz.AddTrigger(t => t.ForJob(BackupJob.Key).WithIdentity("backup-cron", "govflow")
            .WithCronSchedule(configuration["GovFlow:Backup:Cron"]!));
    }
}

/// <summary>Writes a timestamped backup (<c>govflow-yyyyMMdd-HHmmss.db</c>) and removes the oldest beyond the number kept.</summary>
[DisallowConcurrentExecution]
public sealed class BackupJob(BackupOptions options, TimeProvider clock, ILogger<BackupJob> logger) : IJob
{
    /// <summary>The job's key.</summary>
    public static readonly JobKey Key = new("backup", "govflow");

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await Task.Run(() => Run(clock.GetUtcNow()), cancellationToken);
        logger.LogInformation("Backed up {Cases} case(s) to {File} ({Bytes} bytes)", result.Cases, result.File, result.Bytes);
    }

    /// <summary>One backup and the pruning after it.</summary>
    public BackupResult Run(DateTimeOffset now)
    {
        var name = $"govflow-{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.db";
        var result = SqliteBackup.Backup(options.Connection, Path.Combine(options.Directory, name));
        // The names sort by time, so the oldest are the first.
        foreach (var old in Directory.GetFiles(options.Directory, "govflow-*.db").OrderDescending(StringComparer.Ordinal).Skip(options.Keep))
            File.Delete(old);
        return result;
    }
}
