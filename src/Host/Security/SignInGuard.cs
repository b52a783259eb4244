using System.Collections.Concurrent;
using System.Globalization;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Security;

/// <summary>Sign-in limits: <c>GovFlow:SignIn</c>.</summary>
public sealed class SignInOptions
{
    /// <summary>Wrong passwords for one user name within <see cref="Lock"/> before it is locked.</summary>
    public int MaxFailures { get; init; } = 5;

    /// <summary>How long a locked user name stays locked (and how long its failures are remembered).</summary>
    public TimeSpan Lock { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed sign-ins from one address within <see cref="AddressWindow"/> before it is refused.</summary>
    public int MaxAddressFailures { get; init; } = 20;

    /// <summary>The window over which an address's failures count.</summary>
    public TimeSpan AddressWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Reads the options from configuration.</summary>
    public static SignInOptions From(IConfiguration configuration)
    {
        var s = configuration.GetSection("GovFlow:SignIn");
        return new SignInOptions
        {
            MaxFailures = s.GetValue("MaxFailures", 5),
            Lock = TimeSpan.FromMinutes(s.GetValue("LockMinutes", 15.0)),
            MaxAddressFailures = s.GetValue("MaxAddressFailures", 20),
            AddressWindow = TimeSpan.FromMinutes(s.GetValue("AddressWindowMinutes", 10.0))
        };
    }
}

/// <summary>Why a sign-in is refused before its password is looked at, and until when.</summary>
/// <param name="Status">423 (this user name is locked) or 429 (too many failures from this address).</param>
/// <param name="Message">What the person is told, in Chinese.</param>
/// <param name="RetryAfter">When to try again.</param>
public sealed record SignInRefusal(int Status, string Message, DateTimeOffset RetryAfter);

/// <summary>
/// Guards sign-in against guessing. A user name is locked after <see cref="SignInOptions.MaxFailures"/> wrong
/// passwords, in the database so that every node agrees; an address that fails too often is refused on this node.
/// Names that do not exist are counted and locked the same way, so a lock tells nothing about who exists.
/// </summary>
public sealed class SignInGuard(SignInOptions options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, AddressFailures> _addresses = new();

    // A hash of the same cost as a real one, checked when the user does not exist, so both answers take as long.
    private static readonly Lazy<string> Decoy = new(() => Passwords.Hash(Guid.NewGuid().ToString("N")));

    /// <summary>Checks a password against a user's hash, or against a decoy of the same cost when there is no user.</summary>
    public static bool Verify(UserRecord? user, string password)
    {
        var matches = Passwords.Verify(password, user?.PasswordHash ?? Decoy.Value);
        return user != null && matches;
    }

    /// <summary>The refusal for a sign-in before its password is checked, or null when it may go on.</summary>
    public async Task<SignInRefusal?> CheckAsync(GovFlowDb db, string userName, string? address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_addresses.TryGetValue(address ?? "unknown", out var failures) && failures.Refused(now, options) is { } until)
            return new SignInRefusal(StatusCodes.Status429TooManyRequests, $"此地址登录失败次数过多，请于 {Local(until)} 后再试", until);
        // By key, tracked: the failure or success that follows in this request finds the row without reading it again.
        var lockRow = await db.SignInLocks.FindAsync([Key(userName)], cancellationToken);
        return lockRow?.LockedUntil is { } locked && locked > now
            ? new SignInRefusal(StatusCodes.Status423Locked, $"该账号连续 {options.MaxFailures} 次密码错误，已临时锁定，请于 {Local(locked)} 后再试", locked)
            : null;
    }

    /// <summary>Counts a wrong password; returns the lock when this failure locked the user name.</summary>
    public async Task<SignInRefusal?> FailedAsync(GovFlowDb db, string userName, string? address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Addresses whose failures have all aged out are forgotten, so many addresses cannot grow this without end.
        if (_addresses.Count > 10_000)
            foreach (var (stale, _) in _addresses.Where(a => a.Value.Empty(now, options)).ToList()) _addresses.TryRemove(stale, out _);
        _addresses.GetOrAdd(address ?? "unknown", _ => new AddressFailures()).Add(now, options);
        var key = Key(userName);
        var row = await db.SignInLocks.FindAsync([key], cancellationToken);
        if (row is null) db.SignInLocks.Add(row = new SignInLock { UserName = key, WindowStart = now });
        if (now - row.WindowStart > options.Lock || row.LockedUntil != null)
        {
            row.WindowStart = now;
            row.Failures = 0;
            row.LockedUntil = null;
        }
        row.Failures++;
        if (row.Failures >= options.MaxFailures) row.LockedUntil = now + options.Lock;
        try { await db.CommitAsync(cancellationToken); }
        catch (DbUpdateException)
        {
            // Another node counted a failure of the same name at the same moment; one count lost is harmless.
        }
        return row.LockedUntil is { } until
            ? new SignInRefusal(StatusCodes.Status423Locked, $"该账号连续 {options.MaxFailures} 次密码错误，已临时锁定，请于 {Local(until)} 后再试", until)
            : null;
    }

    /// <summary>A good password clears the user name's failures.</summary>
    public async Task SucceededAsync(GovFlowDb db, string userName, CancellationToken cancellationToken)
    {
        var key = Key(userName);
        if (await db.SignInLocks.FindAsync([key], cancellationToken) is not { } row) return;
        db.SignInLocks.Remove(row);
        try { await db.CommitAsync(cancellationToken); }
        catch (DbUpdateException)
        {
            // Cleared or changed meanwhile by another sign-in; the next failure starts a fresh count either way.
        }
    }

    // Keys are bounded so a long made-up name cannot grow the table's rows.
    private static string Key(string userName) => userName.Trim().ToLowerInvariant() is var k && k.Length > 64 ? k[..64] : k;

    private static string Local(DateTimeOffset moment) => moment.ToOffset(TimeSpan.FromHours(8)).ToString("HH:mm", CultureInfo.InvariantCulture);

    private sealed class AddressFailures
    {
        private readonly Queue<DateTimeOffset> _at = new();

        public void Add(DateTimeOffset now, SignInOptions options)
        {
            lock (_at)
            {
                Trim(now, options);
                _at.Enqueue(now);
            }
        }

        public DateTimeOffset? Refused(DateTimeOffset now, SignInOptions options)
        {
            lock (_at)
            {
                Trim(now, options);
                return _at.Count >= options.MaxAddressFailures ? _at.Peek() + options.AddressWindow : null;
            }
        }

        public bool Empty(DateTimeOffset now, SignInOptions options)
        {
            lock (_at)
            {
                Trim(now, options);
                return _at.Count == 0;
            }
        }

        private void Trim(DateTimeOffset now, SignInOptions options)
        {
            while (_at.Count > 0 && now - _at.Peek() > options.AddressWindow) _at.Dequeue();
        }
    }
}
