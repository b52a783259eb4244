using System.Security.Cryptography;
using GovFlow.Host.Persistence;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GovFlow.Host.ElsaApi;

/// <summary>An access token and the refresh token that renews it, as Studio's login and refresh answers carry them.</summary>
/// <param name="AccessToken">Short-lived; sent as Bearer on every call.</param>
/// <param name="RefreshToken">Longer-lived; sent as Bearer to <c>identity/refresh-token</c> only.</param>
public sealed record StudioTokenPair(string AccessToken, string RefreshToken);

/// <summary>
/// Issues and checks Studio's JWTs (HMAC-SHA256). Access and refresh tokens differ by audience, so a refresh token
/// opens no endpoint and an access token refreshes nothing. Each carries a fingerprint of the user's password hash:
/// a changed or reset password ends the user's Studio sessions at their next call.
/// </summary>
public sealed class StudioTokens(StudioOptions options, TimeProvider clock)
{
    /// <summary>The tokens' issuer.</summary>
    public const string Issuer = "GovFlow";

    /// <summary>The audience of access tokens.</summary>
    public const string AccessAudience = "govflow-studio";

    /// <summary>The audience of refresh tokens.</summary>
    public const string RefreshAudience = "govflow-studio-refresh";

    /// <summary>The claim holding the password fingerprint.</summary>
    public const string PasswordClaim = "pwd";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The key tokens are signed and checked with.</summary>
    public SymmetricSecurityKey Key { get; } = new(options.SigningKey ?? new byte[StudioOptions.MinKeyBytes]);

    /// <summary>Issues a fresh pair for a user.</summary>
    public StudioTokenPair Issue(UserRecord user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new StudioTokenPair(Create(user, AccessAudience, now, options.AccessTokenLifetime), Create(user, RefreshAudience, now, options.RefreshTokenLifetime));
    }

    /// <summary>The checks of an access token (JwtBearer uses them; lifetimes are judged by the host's clock).</summary>
    public TokenValidationParameters AccessParameters() => Parameters(AccessAudience);

    /// <summary>The user of a valid refresh token whose password fingerprint still matches, or null.</summary>
    public async Task<UserRecord?> ValidateRefreshAsync(string token, Func<string, Task<UserRecord?>> findUser)
    {
        var result = await _handler.ValidateTokenAsync(token, Parameters(RefreshAudience));
        if (!result.IsValid || result.ClaimsIdentity.Name is not { Length: > 0 } name) return null;
        var user = await findUser(name);
        return user is not null && result.ClaimsIdentity.FindFirst(PasswordClaim)?.Value == Fingerprint(user.PasswordHash) ? user : null;
    }

    /// <summary>Whether a token's password fingerprint is the user's current one (a changed or reset password ends it).</summary>
    public static bool MatchesPassword(System.Security.Claims.ClaimsPrincipal principal, UserRecord user) =>
        principal.FindFirst(PasswordClaim)?.Value == Fingerprint(user.PasswordHash);

    private string Create(UserRecord user, string audience, DateTime now, TimeSpan lifetime) => _handler.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = audience,
        IssuedAt = now,
        NotBefore = now,
        Expires = now + lifetime,
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        // Studio reads name and role from the token without checking it; the server checks every call.
        Claims = new Dictionary<string, object>
        {
            // The post first, then the roles held besides it (兼任); one role is a string, several an array.
            ["sub"] = user.UserName, ["name"] = user.UserName, ["role"] = user.AllRoles() is [var only] ? only : user.AllRoles().ToArray(), ["displayName"] = user.DisplayName,
            ["jti"] = Guid.NewGuid().ToString("N"), [PasswordClaim] = Fingerprint(user.PasswordHash)
        }
    });

    private TokenValidationParameters Parameters(string audience) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = audience,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = "name",
        RoleClaimType = "role",
        RequireExpirationTime = true,
        // The host's clock (a test clock in tests), not the machine's, decides whether a token has expired.
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            return expires is { } e && e > now - TimeSpan.FromSeconds(30) && (notBefore is null || notBefore <= now + TimeSpan.FromSeconds(30));
        }
    };

    // A hash of the stored hash: changes with the password, and tells nothing about it.
    private static string Fingerprint(string passwordHash) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(passwordHash)))[..16];
}
