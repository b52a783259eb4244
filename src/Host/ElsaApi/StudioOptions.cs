using System.Security.Cryptography;

namespace GovFlow.Host.ElsaApi;

/// <summary>
/// Elsa Studio's access to GovFlow (<c>GovFlow:Studio</c>): the key that signs its tokens, how long they live, and
/// the origins its WebAssembly host may call from. In demo mode without a configured key, one is generated once in
/// the data folder (<c>studio-jwt.key</c>); outside demo mode without a key the Studio API stays off (a log line at
/// start-up says so), because a guessable or throwaway key would let anyone mint policy staff's tokens.
/// </summary>
public sealed class StudioOptions
{
    /// <summary>The key file's name in the data folder (demo mode).</summary>
    public const string DemoKeyFile = "studio-jwt.key";

    /// <summary>The shortest signing key accepted, in bytes (HMAC-SHA256 wants at least its own output size).</summary>
    public const int MinKeyBytes = 32;

    /// <summary>The HMAC-SHA256 signing key, or null when the Studio API is off.</summary>
    public byte[]? SigningKey { get; init; }

    /// <summary>Why the Studio API is off (for the start-up log), or null when it is on.</summary>
    public string? Off { get; init; }

    /// <summary>Whether /elsa/api answers.</summary>
    public bool Enabled => SigningKey is not null;

    /// <summary>How long an access token lives (<c>AccessTokenMinutes</c>, 15 by default); Studio refreshes it before then.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a refresh token lives (<c>RefreshTokenHours</c>, 8 by default: one working day of design).</summary>
    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary>Origins of Studio's WebAssembly host allowed to call /elsa/api from a browser (<c>Origins</c>).</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>Reads the options; a configured key is base64 (at least 32 bytes) or text of at least 32 characters.</summary>
    /// <exception cref="InvalidOperationException">A configured key too short to sign safely.</exception>
    public static StudioOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("GovFlow:Studio");
        var key = section["SigningKey"] is { Length: > 0 } configured ? Decode(configured)
            : section["SigningKeyFile"] is { Length: > 0 } file ? Decode(File.ReadAllText(file).Trim())
            : null;
        string? off = null;
        if (key is null)
        {
            if (configuration.GetValue("GovFlow:Demo", true)) key = DemoKey(Path.Combine(Persistence.Database.DataDirectory(configuration), DemoKeyFile));
            else off = "No GovFlow:Studio:SigningKey (or SigningKeyFile) configured: the Elsa Studio API (/elsa/api) is off.";
        }
        return new StudioOptions
        {
            SigningKey = key,
            Off = off,
            AccessTokenLifetime = TimeSpan.FromMinutes(section.GetValue("AccessTokenMinutes", 15.0)),
            RefreshTokenLifetime = TimeSpan.FromHours(section.GetValue("RefreshTokenHours", 8.0)),
            Origins = section.GetSection("Origins").Get<string[]>() ?? (section["Origins"] is { Length: > 0 } list ? list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [])
        };
    }

    private static byte[] Decode(string text)
    {
        byte[] key;
        try { key = Convert.FromBase64String(text); }
        catch (FormatException) { key = System.Text.Encoding.UTF8.GetBytes(text); }
        return key.Length >= MinKeyBytes
            ? key
            : throw new InvalidOperationException($"GovFlow:Studio:SigningKey is too short: at least {MinKeyBytes} bytes (e.g. `openssl rand -base64 32`).");
    }

    private static byte[] DemoKey(string path)
    {
        if (File.Exists(path)) return Decode(File.ReadAllText(path).Trim());
        var key = RandomNumberGenerator.GetBytes(MinKeyBytes);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var writer = new StreamWriter(new FileStream(path, options));
            writer.Write(Convert.ToBase64String(key));
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process of the same data folder wrote its key first: use that one, so both accept the same tokens.
            return Decode(File.ReadAllText(path).Trim());
        }
    }
}
