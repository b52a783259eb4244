using System.Security.Claims;
using System.Security.Cryptography;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Security;

/// <summary>The roles of GovFlow.</summary>
public static class Roles
{
    /// <summary>Policy staff: definitions and matters.</summary>
    public const string Policy = "policy";
    /// <summary>Window clerks: accept cases, their hall's tasks.</summary>
    public const string Window = "window";
    /// <summary>Department reviewers: their department's tasks.</summary>
    public const string Reviewer = "reviewer";
    /// <summary>Auditors: read everything, change nothing.</summary>
    public const string Auditor = "auditor";
    /// <summary>Applicants: their own cases.</summary>
    public const string Applicant = "applicant";
    /// <summary>Administrators: people, departments and halls; no cases.</summary>
    public const string Admin = "admin";

    /// <summary>All roles.</summary>
    public static readonly IReadOnlyList<string> All = [Policy, Window, Reviewer, Auditor, Applicant, Admin];

    /// <summary>
    /// Roles a user may hold besides their post: none of them works a department's inbox, so the post alone decides
    /// where tasks go.
    /// </summary>
    public static readonly IReadOnlyList<string> Additional = [Policy, Auditor, Admin];

    /// <summary>The roles of a comma-separated list, in order, without blanks or repeats.</summary>
    public static IReadOnlyList<string> Parse(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];

    /// <summary>The roles in the hall's words.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Policy] = "政策业务人员", [Window] = "窗口人员", [Reviewer] = "审批人员", [Auditor] = "监察审计人员", [Applicant] = "申请人", [Admin] = "系统管理员"
    };
}

/// <summary>What a password must be: long enough, of letters and digits, and not the user's name or a known default.</summary>
public static class PasswordPolicy
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinLength = 10;

    /// <summary>Why a password is refused (in Chinese), or null when it is good enough.</summary>
    public static string? Problem(string? password, string userName)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength) return $"密码至少 {MinLength} 位";
        if (password.Length > 128) return "密码不超过 128 位";
        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit)) return "密码须同时包含字母和数字";
        if (password.Contains(userName, StringComparison.OrdinalIgnoreCase)) return "密码不能包含用户名";
        if (password == DemoUsers.Password) return "不能使用演示密码";
        return null;
    }

    /// <summary>A one-time password for a new account or a reset: 16 characters, letters and digits, without look-alikes.</summary>
    public static string OneTime()
    {
        const string letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789";
        var chars = Enumerable.Range(0, 16).Select(i => i % 4 == 3 ? digits[RandomNumberGenerator.GetInt32(digits.Length)] : letters[RandomNumberGenerator.GetInt32(letters.Length)]);
        return new string([.. chars]);
    }
}

/// <summary>Password hashing with PBKDF2-SHA256.</summary>
public static class Passwords
{
    private const int Iterations = 100_000;

    /// <summary>Hashes a password with a fresh salt.</summary>
    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Checks a password in constant time.</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations)) return false;
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}

/// <summary>Who is calling.</summary>
/// <param name="UserName">Login name.</param>
/// <param name="Role">The post: the role that decides which inbox the user works and how cases are listed to them.</param>
/// <param name="Department">Department.</param>
/// <param name="IdIndex">Applicant's ID number's blind index (the session never carries the number itself).</param>
/// <param name="IsHead">Head of the department: may reassign or release any of its tasks.</param>
/// <param name="OtherRoles">Roles held besides the post (policy, auditor, admin).</param>
/// <param name="EnterpriseIndex">For an enterprise's authorised staff (企业经办人): the blind index of the enterprise's credit code.</param>
public sealed record Caller(string UserName, string Role, string? Department, string? IdIndex, bool IsHead = false, IReadOnlyList<string>? OtherRoles = null, string? EnterpriseIndex = null)
{
    /// <summary>The caller of a request (only for authenticated requests). The post is the first role claim.</summary>
    public static Caller From(ClaimsPrincipal user)
    {
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        return new(user.Identity?.Name ?? "", roles.FirstOrDefault() ?? "", user.FindFirstValue("department"), user.FindFirstValue("idIndex"), user.HasClaim("head", "true"), [.. roles.Skip(1)],
            user.FindFirstValue(EnterpriseClaim));
    }

    /// <summary>Whether the caller holds <paramref name="role"/>, as the post or besides it.</summary>
    public bool Has(string role) => Role == role || OtherRoles?.Contains(role) == true;

    /// <summary>
    /// The role the caller reads cases as: an auditor reads every case whatever their post, so the widest view wins;
    /// otherwise the post decides (a clerk's hall, a reviewer's department).
    /// </summary>
    public string CaseRole => Has(Roles.Auditor) ? Roles.Auditor : Role;

    /// <summary>The claim of an enterprise's authorised staff: the blind index of the enterprise's credit code.</summary>
    public const string EnterpriseClaim = "enterpriseIndex";

    /// <summary>The claim of a session that must change its one-time password before anything else.</summary>
    public const string MustChangePasswordClaim = "mustChangePassword";

    /// <summary>Claims for the cookie.</summary>
    public static ClaimsPrincipal Principal(UserRecord u) => new(new ClaimsIdentity(
        new[] { new Claim(ClaimTypes.Name, u.UserName), new Claim("displayName", u.DisplayName) }
            .Concat(u.AllRoles().Select(r => new Claim(ClaimTypes.Role, r)))
            .Concat(u.Department is null ? [] : [new Claim("department", u.Department)])
            .Concat(u.IdNumberIndex is null ? [] : [new Claim("idIndex", u.IdNumberIndex)])
            .Concat(u.EnterpriseIndex is null ? [] : [new Claim(EnterpriseClaim, u.EnterpriseIndex)])
            .Concat(u.IsHead ? [new Claim("head", "true")] : [])
            .Concat(u.MustChangePassword ? [new Claim(MustChangePasswordClaim, "true")] : []),
        Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme));
}
