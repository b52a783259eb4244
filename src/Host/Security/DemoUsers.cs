using GovFlow.Activities.Matters;
using GovFlow.Host.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Security;

/// <summary>The demo users: one or more of every role, with departments that match the catalog.</summary>
public static class DemoUsers
{
    /// <summary>Demo password of every demo user.</summary>
    public const string Password = "govflow-demo";

    /// <summary>The named demo users (the ones the tests and the README walk through).</summary>
    public static readonly IReadOnlyList<UserRecord> Named =
    [
        new() { UserName = "policy01", Role = Roles.Policy, Department = "深圳市南山区政务服务数据管理局", DisplayName = "陈政策" },
        new() { UserName = "window01", Role = Roles.Window, Department = "综合窗口", DisplayName = "林窗口", IsHead = true },
        new() { UserName = "window02", Role = Roles.Window, Department = "深圳市福田区沙头街道办事处", DisplayName = "黄窗口" },
        new() { UserName = "reviewer01", Role = Roles.Reviewer, Department = "深圳市南山区民政局", DisplayName = "王审核" },
        new() { UserName = "head02", Role = Roles.Reviewer, Department = "深圳市南山区粤海街道办事处", DisplayName = "陈科长", IsHead = true },
        new() { UserName = "reviewer02", Role = Roles.Reviewer, Department = "深圳市南山区粤海街道办事处", DisplayName = "李初审" },
        new() { UserName = "reviewer08", Role = Roles.Reviewer, Department = "深圳市南山区粤海街道办事处", DisplayName = "何复核" },
        new() { UserName = "reviewer03", Role = Roles.Reviewer, Department = "深圳市南山区文化广电旅游体育局", DisplayName = "张文体" },
        new() { UserName = "reviewer04", Role = Roles.Reviewer, Department = "深圳市公安局南山分局", DisplayName = "赵警官" },
        new() { UserName = "reviewer05", Role = Roles.Reviewer, Department = "深圳市南山区消防救援大队", DisplayName = "周消防" },
        new() { UserName = "reviewer06", Role = Roles.Reviewer, Department = "深圳市生态环境局南山管理局", DisplayName = "吴环保" },
        new() { UserName = "reviewer07", Role = Roles.Reviewer, Department = "深圳市南山区市场监督管理局", DisplayName = "郑市监" },
        new() { UserName = "auditor01", Role = Roles.Auditor, Department = "深圳市南山区电子监察室", DisplayName = "孙监察" },
        new() { UserName = "admin01", Role = Roles.Admin, DisplayName = "钱管理" }
    ];

    /// <summary>The demo applicant: the first elderly person of the simulated city.</summary>
    public static UserRecord Applicant(Simulators.SimulatedWorld world)
    {
        var person = world.People.First(p => p.BirthDate.Year < 1946);
        return new UserRecord { UserName = "applicant01", Role = Roles.Applicant, DisplayName = person.Name, IdNumber = person.IdNumber };
    }

    /// <summary>
    /// The demo enterprise's authorised staff (企业经办人): an adult of the simulated city who acts for the first
    /// simulated enterprise, whose cases the demo data includes.
    /// </summary>
    public static UserRecord EnterpriseAgent(Simulators.SimulatedWorld world)
    {
        var person = world.People.First(p => p.BirthDate.Year is > 1970 and < 2000);
        return new UserRecord { UserName = "agent01", Role = Roles.Applicant, DisplayName = person.Name, IdNumber = person.IdNumber, EnterpriseUscc = world.Enterprises[0].Uscc };
    }

    /// <summary>
    /// Every demo user: the named ones, a clerk or reviewer for every department and window the catalog's flows
    /// give work to that has none (so every catalog case can be finished by someone), the applicant and the enterprise's staff.
    /// </summary>
    public static IReadOnlyList<UserRecord> All(MatterCatalog catalog, Simulators.SimulatedWorld world)
    {
        var covered = Named.Select(u => (u.Department, u.Role)).ToHashSet();
        var numbers = new Dictionary<string, int> { [Roles.Window] = 20, [Roles.Reviewer] = 20 };
        var staff = DemoStaff.Needed(catalog).Where(n => !covered.Contains((n.Department, n.Role))).Select(n => new UserRecord
        {
            UserName = $"{n.Role}{++numbers[n.Role]:D2}", Role = n.Role, Department = n.Department,
            DisplayName = DemoStaff.Short(n.Department) + (n.Role == Roles.Window ? "窗口" : "审核")
        });
        return [.. Named, .. staff, Applicant(world), EnterpriseAgent(world)];
    }

    /// <summary>
    /// Creates the demo users that do not exist yet (one password hash for all: they share the demo password), and the
    /// departments they belong to (a window's department as a hall), so the administrator's pages show them.
    /// </summary>
    public static async Task SeedAsync(GovFlowDb db, MatterCatalog catalog, Simulators.SimulatedWorld world)
    {
        var existing = await db.Users.Select(u => u.UserName).ToListAsync();
        var hash = Passwords.Hash(Password);
        var all = All(catalog, world);
        foreach (var u in all.Where(u => !existing.Contains(u.UserName)))
            db.Users.Add(new UserRecord { UserName = u.UserName, Role = u.Role, Department = u.Department, DisplayName = u.DisplayName, IdNumber = u.IdNumber, EnterpriseUscc = u.EnterpriseUscc, IsHead = u.IsHead, PasswordHash = hash });
        var departments = await db.Departments.Select(d => d.Name).ToListAsync();
        foreach (var (name, hall) in all.Where(u => u.Department != null).GroupBy(u => u.Department!).Select(g => (g.Key, g.Any(u => u.Role == Roles.Window))))
            if (!departments.Contains(name))
            {
                var (code, region) = DemoRegion(name);
                db.Departments.Add(new DepartmentRecord { Id = Guid.CreateVersion7().ToString("N"), Name = name, IsHall = hall, RegionCode = code, RegionName = region });
            }
        await db.CommitAsync();
    }

    // 通办 needs each demo department's region: the hall 综合窗口 sits in 南山; the others say it in their names.
    private static (string? Code, string? Name) DemoRegion(string department) => department switch
    {
        "综合窗口" => ("440305", "深圳市南山区"),
        _ when department.Contains("南山", StringComparison.Ordinal) => ("440305", "深圳市南山区"),
        _ when department.Contains("福田", StringComparison.Ordinal) => ("440304", "深圳市福田区"),
        _ when department.Contains("南海", StringComparison.Ordinal) => ("440605", "佛山市南海区"),
        _ when department.StartsWith("深圳市", StringComparison.Ordinal) => ("440300", "深圳市"),
        _ => (null, null)
    };

    /// <summary>Disables every demo account and ends its sessions (a production start on a database that once ran the demo).</summary>
    public static async Task DisableAsync(GovFlowDb db, MatterCatalog catalog, Simulators.SimulatedWorld world, SessionStore sessions)
    {
        var names = All(catalog, world).Select(u => u.UserName).ToList();
        var demo = await db.Users.Where(u => u.Active && names.Contains(u.UserName)).ToListAsync();
        if (demo.Count == 0) return;
        foreach (var u in demo) u.Active = false;
        await db.CommitAsync();
        foreach (var u in demo) await sessions.RemoveAllAsync(db, u.UserName);
    }
}
