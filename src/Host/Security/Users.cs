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

    /// <summary>All roles.</summary>
    public static readonly IReadOnlyList<string> All = [Policy, Window, Reviewer, Auditor, Applicant];
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
/// <param name="Role">Role.</param>
/// <param name="Department">Department.</param>
/// <param name="IdNumber">Applicant's ID number.</param>
public sealed record Caller(string UserName, string Role, string? Department, string? IdNumber)
{
    /// <summary>The caller of a request (only for authenticated requests).</summary>
    public static Caller From(ClaimsPrincipal user) => new(
        user.Identity?.Name ?? "", user.FindFirstValue(ClaimTypes.Role) ?? "", user.FindFirstValue("department"), user.FindFirstValue("idNumber"));

    /// <summary>Claims for the cookie.</summary>
    public static ClaimsPrincipal Principal(UserRecord u) => new(new ClaimsIdentity(
        new[] { new Claim(ClaimTypes.Name, u.UserName), new Claim(ClaimTypes.Role, u.Role), new Claim("displayName", u.DisplayName) }
            .Concat(u.Department is null ? [] : [new Claim("department", u.Department)])
            .Concat(u.IdNumber is null ? [] : [new Claim("idNumber", u.IdNumber)]),
        Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme));
}

/// <summary>The demo users: one or more of every role, with departments that match the catalog.</summary>
public static class DemoUsers
{
    /// <summary>Demo password of every demo user.</summary>
    public const string Password = "govflow-demo";

    /// <summary>The users.</summary>
    public static readonly IReadOnlyList<UserRecord> All =
    [
        new() { UserName = "policy01", Role = Roles.Policy, Department = "深圳市南山区政务服务数据管理局", DisplayName = "陈政策" },
        new() { UserName = "window01", Role = Roles.Window, Department = "综合窗口", DisplayName = "林窗口" },
        new() { UserName = "window02", Role = Roles.Window, Department = "深圳市福田区沙头街道办事处", DisplayName = "黄窗口" },
        new() { UserName = "reviewer01", Role = Roles.Reviewer, Department = "深圳市南山区民政局", DisplayName = "王审核" },
        new() { UserName = "reviewer02", Role = Roles.Reviewer, Department = "深圳市南山区粤海街道办事处", DisplayName = "李初审" },
        new() { UserName = "reviewer08", Role = Roles.Reviewer, Department = "深圳市南山区粤海街道办事处", DisplayName = "何复核" },
        new() { UserName = "reviewer03", Role = Roles.Reviewer, Department = "深圳市南山区文化广电旅游体育局", DisplayName = "张文体" },
        new() { UserName = "reviewer04", Role = Roles.Reviewer, Department = "深圳市公安局南山分局", DisplayName = "赵警官" },
        new() { UserName = "reviewer05", Role = Roles.Reviewer, Department = "深圳市南山区消防救援大队", DisplayName = "周消防" },
        new() { UserName = "reviewer06", Role = Roles.Reviewer, Department = "深圳市生态环境局南山管理局", DisplayName = "吴环保" },
        new() { UserName = "reviewer07", Role = Roles.Reviewer, Department = "深圳市南山区市场监督管理局", DisplayName = "郑市监" },
        new() { UserName = "auditor01", Role = Roles.Auditor, Department = "深圳市南山区电子监察室", DisplayName = "孙监察" }
    ];

    /// <summary>The demo applicant: the first elderly person of the simulated city.</summary>
    public static UserRecord Applicant(Simulators.SimulatedWorld world)
    {
        var person = world.People.First(p => p.BirthDate.Year < 1946);
        return new UserRecord { UserName = "applicant01", Role = Roles.Applicant, DisplayName = person.Name, IdNumber = person.IdNumber };
    }

    /// <summary>Creates the demo users that do not exist yet.</summary>
    public static async Task SeedAsync(GovFlowDb db, Simulators.SimulatedWorld world)
    {
        var existing = await db.Users.Select(u => u.UserName).ToListAsync();
        foreach (var u in All.Append(Applicant(world)).Where(u => !existing.Contains(u.UserName)))
            db.Users.Add(new UserRecord { UserName = u.UserName, Role = u.Role, Department = u.Department, DisplayName = u.DisplayName, IdNumber = u.IdNumber, PasswordHash = Passwords.Hash(Password) });
        await db.CommitAsync();
    }
}
