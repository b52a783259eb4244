using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace GovFlow.Host.Security;

/// <summary>
/// Reads sign-in cookies through a small cache of recently read cookies. Decrypting and authenticating a cookie
/// (data protection derives a key per cookie, then AES and an HMAC) cost about 0.2 ms of CPU on every API request here,
/// half of what an in-memory answer costs; a clerk's cookie is the same string on every request until it is renewed.
/// </summary>
/// <remarks>
/// Only a cookie that the protector itself accepted is cached, under its full text, so a cached entry can only be
/// hit by presenting that exact authenticated cookie. The cookie handler still checks the ticket's expiry on every
/// request; the cache never outlives <see cref="Lifetime"/>.
/// </remarks>
public sealed class CachedTicketFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>, IDisposable
{
    /// <summary>How long a read cookie is remembered after it was first read.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const int Capacity = 10_000;
    private readonly MemoryCache _read = new(new MemoryCacheOptions { SizeLimit = Capacity });

    /// <inheritdoc />
    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    /// <inheritdoc />
    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    /// <inheritdoc />
    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    /// <inheritdoc />
    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText)) return null;
        var key = (purpose, protectedText);
        if (_read.TryGetValue(key, out AuthenticationTicket? known)) return known;
        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket != null)
            _read.Set(key, ticket, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return ticket;
    }

    /// <summary>Entries cached now (for tests).</summary>
    public int Count => _read.Count;

    /// <inheritdoc />
    public void Dispose() => _read.Dispose();
}
