using GovFlow.Host.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace GovFlow.Host.Security;

/// <summary>
/// Sign-in sessions kept on the server: the cookie carries only a session key, and signing out deletes the session,
/// so a copied cookie stops working at logout (a self-contained cookie stayed valid until it expired). Sessions are
/// read through a short cache; another node may honour a session for up to <see cref="CacheLifetime"/> after it
/// ended elsewhere.
/// </summary>
public sealed class SessionStore(IServiceScopeFactory scopes, TimeProvider clock) : ITicketStore, IDisposable
{
    /// <summary>How long a node trusts a session it has read without reading it again.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    // A ticket without an expiry (the cookie handler always sets one) still ends.
    private static readonly TimeSpan Fallback = TimeSpan.FromDays(14);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    /// <inheritdoc />
    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await WriteAsync(key, ticket, isNew: true);
        await PruneAsync();
        return key;
    }

    private long _prunedAt;

    // Expired sessions are deleted at most hourly, by whichever sign-in comes first.
    private async Task PruneAsync()
    {
        var now = clock.GetUtcNow();
        var last = Interlocked.Read(ref _prunedAt);
        if (now.ToUnixTimeMilliseconds() - last < 3_600_000 || Interlocked.CompareExchange(ref _prunedAt, now.ToUnixTimeMilliseconds(), last) != last) return;
        using var scope = scopes.CreateScope();
        await scope.ServiceProvider.GetRequiredService<GovFlowDb>().Sessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync();
    }

    /// <summary>The ticket property that names its session, so a request can end every session but its own.</summary>
    public const string KeyItem = "govflow.session";

    /// <summary>The session of the request's sign-in, or null.</summary>
    public static async Task<string?> CurrentAsync(HttpContext http) =>
        (await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme)).Properties?.Items is { } items && items.TryGetValue(KeyItem, out var key) ? key : null;

    /// <inheritdoc />
    public Task RenewAsync(string key, AuthenticationTicket ticket) => WriteAsync(key, ticket, isNew: false);

    /// <inheritdoc />
    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (_cache.TryGetValue(key, out AuthenticationTicket? known)) return known;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var row = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == key);
        // Expiry is the cookie handler's to judge (on its own clock), from the ticket's properties.
        if (row is null) return null;
        var ticket = TicketSerializer.Default.Deserialize(row.Ticket);
        if (ticket != null)
        {
            ticket.Properties.Items[KeyItem] = key;
            Remember(key, ticket);
        }
        return ticket;
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string key)
    {
        _cache.Remove(key);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        if (await db.Sessions.FirstOrDefaultAsync(s => s.Id == key) is not { } row) return;
        db.Sessions.Remove(row);
        try { await db.CommitAsync(); }
        catch (DbUpdateException)
        {
            // Removed by another request at the same moment: it is gone either way.
        }
    }

    /// <summary>Ends every session of a user (a password change, a disabled account), but <paramref name="except"/>.</summary>
    public async Task RemoveAllAsync(GovFlowDb db, string userName, CancellationToken cancellationToken = default, string? except = null)
    {
        var rows = await db.Sessions.Where(s => s.UserName == userName && s.Id != except).ToListAsync(cancellationToken);
        foreach (var row in rows) _cache.Remove(row.Id);
        db.Sessions.RemoveRange(rows);
        await db.CommitAsync(cancellationToken);
    }

    private async Task WriteAsync(string key, AuthenticationTicket ticket, bool isNew)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GovFlowDb>();
        var now = clock.GetUtcNow();
        var expires = ticket.Properties.ExpiresUtc ?? now + Fallback;
        var row = isNew ? null : await db.Sessions.FirstOrDefaultAsync(s => s.Id == key);
        if (row is null)
        {
            if (!isNew) return; // signed out meanwhile: a renewal does not bring it back
            db.Sessions.Add(row = new SessionRecord { Id = key, UserName = ticket.Principal.Identity?.Name ?? "", CreatedAt = now });
        }
        row.Ticket = TicketSerializer.Default.Serialize(ticket);
        row.ExpiresAt = expires;
        await db.CommitAsync();
        ticket.Properties.Items[KeyItem] = key;
        Remember(key, ticket);
    }

    private void Remember(string key, AuthenticationTicket ticket) =>
        _cache.Set(key, ticket, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheLifetime });

    /// <summary>Makes the cookie handler keep its tickets here.</summary>
    public static void Use(IServiceCollection services) =>
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionStore>((o, store) => o.SessionStore = store);

    /// <inheritdoc />
    public void Dispose() => _cache.Dispose();
}
