using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace GovFlow.Host.Security;

/// <summary>
/// Encrypts applicants' personal data at rest with SM4-GCM and computes the keyed SM3 blind indexes that let GovFlow
/// find a case by a full ID number or phone without storing either in clear.
/// </summary>
/// <remarks>
/// A protected value is text, <c>sm4:VERSION:BASE64(nonce|ciphertext|tag)</c>: it names the key that encrypted it, so
/// after a rotation values under the old key are still read (the old key stays configured) until
/// <c>protect-personal-data</c> has rewritten them under the current one. Text without the <c>sm4:</c> prefix is a
/// value written before encryption and is read as it is.
/// <para>
/// Keys come from configuration: <c>GovFlow:Crypto:Sm4Keys:VERSION</c> (32 hex digits each),
/// <c>GovFlow:Crypto:Sm4CurrentKey</c> (the version new values use; default the highest), and
/// <c>GovFlow:Crypto:BlindIndexKey</c> (at least 32 hex digits), or <c>GovFlow:Crypto:Sm4KeyFile</c>, a file of
/// <c>VERSION=HEX</c>, <c>current=VERSION</c> and <c>blind-index=HEX</c> lines (see <see cref="WriteKeyFile"/>). In demo mode
/// without any, a key file is generated in the data folder; outside demo mode a missing or malformed key stops the start.
/// </para>
/// </remarks>
public sealed class PersonalDataProtector
{
    /// <summary>The key file's name in the data folder (demo mode).</summary>
    public const string DemoKeyFile = "personal-data-sm4.key";

    /// <summary>What every protected value starts with.</summary>
    public const string Prefix = "sm4:";

    private const int NonceBytes = 12;
    private const int TagBits = 128;

    private readonly IReadOnlyDictionary<string, byte[]> _keys;
    private readonly byte[] _blindIndexKey;

    /// <summary>A protector of the given SM4 keys by version, the version new values use, and the blind-index key.</summary>
    /// <exception cref="InvalidOperationException">A key is not 16 bytes, the current version has no key, or the blind-index key is shorter than 16 bytes.</exception>
    public PersonalDataProtector(IReadOnlyDictionary<string, byte[]> keys, string currentVersion, byte[] blindIndexKey)
    {
        foreach (var (version, key) in keys)
        {
            if (key.Length != 16) throw new InvalidOperationException($"SM4 密钥 {version} 须为 16 字节（32 位十六进制）/ SM4 key {version} must be 16 bytes (32 hex digits).");
            if (version.Length == 0 || version.Contains(':')) throw new InvalidOperationException($"SM4 密钥版本名 '{version}' 无效 / SM4 key version '{version}' is not a valid name.");
        }
        if (!keys.ContainsKey(currentVersion))
            throw new InvalidOperationException($"当前 SM4 密钥 {currentVersion} 未配置 / the current SM4 key {currentVersion} is not configured (GovFlow:Crypto:Sm4Keys:{currentVersion}).");
        if (blindIndexKey.Length < 16)
            throw new InvalidOperationException("盲索引密钥至少 16 字节 / GovFlow:Crypto:BlindIndexKey must be at least 16 bytes (32 hex digits).");
        _keys = keys;
        CurrentVersion = currentVersion;
        _blindIndexKey = blindIndexKey;
        // Identifies the key material without revealing it: the database model (its converters) is cached per protector.
        Fingerprint = Convert.ToHexString(Workflows.Runtime.Sm3.Hash(Encoding.UTF8.GetBytes(
            currentVersion + "|" + string.Join("|", keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key + "=" + Convert.ToHexString(k.Value))) + "|" + Convert.ToHexString(blindIndexKey))));
        CurrentPrefix = Prefix + currentVersion + ":";
    }

    /// <summary>The key version new values are encrypted under.</summary>
    public string CurrentVersion { get; }

    /// <summary>What a value encrypted under the current key starts with (<c>sm4:VERSION:</c>).</summary>
    public string CurrentPrefix { get; }

    /// <summary>An SM3 hash of all the key material, telling protectors with the same keys apart from others.</summary>
    public string Fingerprint { get; }

    /// <summary>The configured key versions.</summary>
    public IEnumerable<string> Versions => _keys.Keys;

    /// <summary>Whether <paramref name="stored"/> is already encrypted under the current key.</summary>
    public bool IsCurrent(string? stored) => stored is null || stored.StartsWith(CurrentPrefix, StringComparison.Ordinal);

    /// <summary>The stored form of <paramref name="clear"/>, encrypted under the current key (null stays null).</summary>
    public string? Protect(string? clear) => clear is null ? null : CurrentPrefix + Convert.ToBase64String(Encrypt(_keys[CurrentVersion], Encoding.UTF8.GetBytes(clear)));

    /// <summary>The clear text of a stored value; text without the <c>sm4:</c> prefix is a legacy clear value and is returned as it is.</summary>
    /// <exception cref="PersonalDataKeyException">The value's key version is not configured, or the key does not open it (a wrong key).</exception>
    public string? Unprotect(string? stored)
    {
        if (stored is null || !stored.StartsWith(Prefix, StringComparison.Ordinal)) return stored;
        var end = stored.IndexOf(':', Prefix.Length);
        if (end < 0) throw new PersonalDataKeyException("个人信息密文格式不对 / a protected value is malformed.");
        var version = stored[Prefix.Length..end];
        if (!_keys.TryGetValue(version, out var key))
            throw new PersonalDataKeyException($"个人信息用密钥 {version} 加密，但未配置该密钥 / personal data is encrypted under key {version}, which is not configured (GovFlow:Crypto:Sm4Keys:{version}).");
        try
        {
            return Encoding.UTF8.GetString(Decrypt(key, Convert.FromBase64String(stored[(end + 1)..])));
        }
        catch (Exception ex) when (ex is FormatException or Org.BouncyCastle.Crypto.InvalidCipherTextException or ArgumentException)
        {
            throw new PersonalDataKeyException($"个人信息无法用密钥 {version} 解密：密钥不对或数据已被改动 / personal data cannot be decrypted with key {version}: the key is wrong or the data was altered.", ex);
        }
    }

    /// <summary>
    /// <paramref name="clear"/> sealed under the current key (nonce, ciphertext and tag, no text prefix: binary
    /// content names its key version in a column of its own); returns the version used.
    /// </summary>
    public (byte[] Sealed, string KeyVersion) ProtectBytes(byte[] clear) => (Encrypt(_keys[CurrentVersion], clear), CurrentVersion);

    /// <summary>The clear bytes of content sealed by <see cref="ProtectBytes"/> under <paramref name="keyVersion"/>.</summary>
    /// <exception cref="PersonalDataKeyException">The key version is not configured, or the key does not open the content (a wrong key, or the content was altered).</exception>
    public byte[] UnprotectBytes(byte[] sealedBytes, string keyVersion)
    {
        if (!_keys.TryGetValue(keyVersion, out var key))
            throw new PersonalDataKeyException($"数据用密钥 {keyVersion} 加密，但未配置该密钥 / data is encrypted under key {keyVersion}, which is not configured (GovFlow:Crypto:Sm4Keys:{keyVersion}).");
        try
        {
            return Decrypt(key, sealedBytes);
        }
        catch (Exception ex) when (ex is FormatException or Org.BouncyCastle.Crypto.InvalidCipherTextException or ArgumentException)
        {
            throw new PersonalDataKeyException($"数据无法用密钥 {keyVersion} 解密：密钥不对或数据已被改动 / data cannot be decrypted with key {keyVersion}: the key is wrong or the data was altered.", ex);
        }
    }

    /// <summary>
    /// The blind index of an ID number (or credit code): HMAC-SM3 under the blind-index key of the trimmed,
    /// upper-cased number, hex. Equal numbers give equal indexes; the index says nothing of the number without the key.
    /// </summary>
    public string? IdIndex(string? idNumber) => idNumber is null ? null : BlindIndex("id", idNumber.Trim().ToUpperInvariant());

    /// <summary>The blind index of a phone number: HMAC-SM3 of its digits only, so 138-0013-8000 and 13800138000 match.</summary>
    public string? PhoneIndex(string? phone) => phone is null ? null : BlindIndex("phone", new string(phone.Where(char.IsAsciiDigit).ToArray()));

    // The kind is hashed in, so an ID number and a phone with the same digits do not share an index.
    private string BlindIndex(string kind, string normalised)
    {
        var mac = new HMac(new SM3Digest());
        mac.Init(new KeyParameter(_blindIndexKey));
        var input = Encoding.UTF8.GetBytes(kind + ":" + normalised);
        mac.BlockUpdate(input, 0, input.Length);
        var output = new byte[mac.GetMacSize()];
        mac.DoFinal(output, 0);
        return Convert.ToHexString(output).ToLowerInvariant();
    }

    // One cipher per thread and key: initialising GCM with a key (SM4's key schedule, GCM's multiplication tables)
    // costs more than sealing a short value, so later values re-initialise it with a new nonce only.
    [ThreadStatic] private static Dictionary<(byte[] Key, bool Encrypt), GcmBlockCipher>? _ciphers;

    private static GcmBlockCipher Cipher(byte[] key, bool encrypt, byte[] nonce)
    {
        var ciphers = _ciphers ??= new Dictionary<(byte[], bool), GcmBlockCipher>(ReferenceKeyComparer.Instance);
        if (ciphers.TryGetValue((key, encrypt), out var gcm))
        {
            gcm.Init(encrypt, new AeadParameters(null, TagBits, nonce));
            return gcm;
        }
        gcm = new GcmBlockCipher(new SM4Engine());
        gcm.Init(encrypt, new AeadParameters(new KeyParameter(key), TagBits, nonce));
        ciphers[(key, encrypt)] = gcm;
        return gcm;
    }

    private sealed class ReferenceKeyComparer : IEqualityComparer<(byte[] Key, bool Encrypt)>
    {
        public static readonly ReferenceKeyComparer Instance = new();
        public bool Equals((byte[] Key, bool Encrypt) x, (byte[] Key, bool Encrypt) y) => ReferenceEquals(x.Key, y.Key) && x.Encrypt == y.Encrypt;
        public int GetHashCode((byte[] Key, bool Encrypt) k) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(k.Key) * 2 + (k.Encrypt ? 1 : 0);
    }

    private static byte[] Encrypt(byte[] key, byte[] clear)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var gcm = Cipher(key, true, nonce);
        var output = new byte[NonceBytes + gcm.GetOutputSize(clear.Length)];
        nonce.CopyTo(output, 0);
        var length = gcm.ProcessBytes(clear, 0, clear.Length, output, NonceBytes);
        gcm.DoFinal(output, NonceBytes + length);
        return output;
    }

    private static byte[] Decrypt(byte[] key, byte[] sealedBytes)
    {
        if (sealedBytes.Length < NonceBytes + TagBits / 8) throw new FormatException("Too short for SM4-GCM.");
        var gcm = Cipher(key, false, sealedBytes[..NonceBytes]);
        var output = new byte[gcm.GetOutputSize(sealedBytes.Length - NonceBytes)];
        var length = gcm.ProcessBytes(sealedBytes, NonceBytes, sealedBytes.Length - NonceBytes, output, 0);
        length += gcm.DoFinal(output, length);
        return output[..length];
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PersonalDataProtector> Interned = new();

    /// <summary>
    /// The keys configured, or in demo mode the data folder's key file (generated once). Protectors of the same keys
    /// are one instance, so hosts of the same keys share one database model.
    /// </summary>
    /// <exception cref="InvalidOperationException">Outside demo mode with no key configured, or with a malformed key.</exception>
    public static PersonalDataProtector From(IConfiguration configuration)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? current = null, blind = null;
        if (configuration["GovFlow:Crypto:Sm4KeyFile"] is { Length: > 0 } file) Read(File.ReadAllText(file), keys, ref current, ref blind, file);
        else if (!configuration.GetSection("GovFlow:Crypto:Sm4Keys").GetChildren().Any() && configuration.GetValue("GovFlow:Demo", true))
            Read(DemoKeys(Path.Combine(Persistence.Database.DataDirectory(configuration), DemoKeyFile)), keys, ref current, ref blind, DemoKeyFile);
        // An emptied version is a retired key (configuration layers cannot remove a key, only blank it).
        foreach (var version in configuration.GetSection("GovFlow:Crypto:Sm4Keys").GetChildren())
            if (string.IsNullOrWhiteSpace(version.Value)) keys.Remove(version.Key);
            else keys[version.Key] = Hex(version.Value, $"GovFlow:Crypto:Sm4Keys:{version.Key}");
        current = configuration["GovFlow:Crypto:Sm4CurrentKey"] is { Length: > 0 } configured ? configured : current;
        blind = configuration["GovFlow:Crypto:BlindIndexKey"] is { Length: > 0 } configuredBlind ? configuredBlind : blind;
        if (keys.Count == 0 || blind is null)
            throw new InvalidOperationException("没有个人信息加密密钥：请设置 GovFlow:Crypto:Sm4Keys:v1 与 GovFlow:Crypto:BlindIndexKey，或 GovFlow:Crypto:Sm4KeyFile（create-personal-data-key 生成）/ " +
                                                "No SM4 key for applicants' personal data: set GovFlow:Crypto:Sm4Keys:v1 and GovFlow:Crypto:BlindIndexKey, or GovFlow:Crypto:Sm4KeyFile (made by create-personal-data-key); demo mode generates one.");
        current ??= keys.Keys.OrderBy(VersionNumber).ThenBy(k => k, StringComparer.Ordinal).Last();
        var protector = new PersonalDataProtector(keys, current, Hex(blind, "GovFlow:Crypto:BlindIndexKey"));
        return Interned.GetOrAdd(protector.Fingerprint, protector);
    }

    private static int VersionNumber(string version) => int.TryParse(version.TrimStart('v', 'V'), out var n) ? n : 0;

    private static void Read(string text, Dictionary<string, byte[]> keys, ref string? current, ref string? blind, string source)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new InvalidOperationException($"{source}: 行 '{line.Split('=')[0]}…' 应为 名称=值 / each line must be NAME=VALUE.");
            var (name, value) = (line[..eq].Trim(), line[(eq + 1)..].Trim());
            if (name == "current") current = value;
            else if (name == "blind-index") blind = value;
            else keys[name] = Hex(value, $"{source}: {name}");
        }
    }

    private static byte[] Hex(string? hex, string what)
    {
        try { return Convert.FromHexString(hex?.Trim() ?? ""); }
        catch (FormatException) { throw new InvalidOperationException($"{what} 不是十六进制密钥 / {what} is not a hex key."); }
    }

    private static string DemoKeys(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path);
        try
        {
            WriteKeyFile(path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process of the same data folder wrote its keys first: use those, so both read each other's rows.
        }
        return File.ReadAllText(path);
    }

    /// <summary>
    /// Writes a new key file (<c>v1</c> and a blind-index key, random), readable by its owner only where the file
    /// system can say so; never overwrites one.
    /// </summary>
    /// <exception cref="IOException">The file exists.</exception>
    public static void WriteKeyFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(new FileStream(path, options));
        writer.Write($"# GovFlow personal data keys: SM4 keys by version, the current one, and the blind-index (HMAC-SM3) key.\ncurrent=v1\nv1={Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}\nblind-index={Convert.ToHexString(RandomNumberGenerator.GetBytes(32))}\n");
    }
}

/// <summary>Personal data that the configured keys cannot open: a key version missing, or a wrong key.</summary>
public sealed class PersonalDataKeyException : InvalidOperationException
{
    /// <summary>With a message in Chinese and English.</summary>
    public PersonalDataKeyException(string message, Exception? inner = null) : base(message, inner) { }
}
