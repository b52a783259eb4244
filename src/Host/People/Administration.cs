using System.Text.Json;
using GovFlow.Activities.Matters;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.People;

/// <summary>A department as an administrator writes it.</summary>
/// <param name="Name">Full name, as users, flows and matters name it.</param>
/// <param name="Uscc">统一社会信用代码.</param>
/// <param name="ParentId">The department it belongs to.</param>
/// <param name="IsHall">A service hall whose windows accept applications.</param>
/// <param name="Active">In use (default true).</param>
/// <param name="RegionCode">行政区划代码 (six digits) of where it sits; decides which matters a hall's windows may accept.</param>
/// <param name="RegionName">That region's name.</param>
public sealed record DepartmentInput(string? Name, string? Uscc, string? ParentId, bool IsHall, bool? Active, string? RegionCode = null, string? RegionName = null);

/// <summary>A user as an administrator writes it (the password is never written here).</summary>
/// <param name="UserName">Sign-in name (only when creating).</param>
/// <param name="DisplayName">Name shown in the UI.</param>
/// <param name="Role">policy, window, reviewer, auditor, applicant or admin.</param>
/// <param name="Department">The department's name (staff other than auditors and administrators need one).</param>
/// <param name="IsHead">Head of the department: reassigns and releases its tasks.</param>
/// <param name="IdNumber">An applicant's ID number.</param>
/// <param name="Active">May sign in (default true).</param>
/// <param name="OtherRoles">Roles held besides the post: policy, auditor or admin (never both auditor and admin).</param>
public sealed record UserInput(string? UserName, string? DisplayName, string? Role, string? Department, bool IsHead, string? IdNumber, bool? Active, IReadOnlyList<string>? OtherRoles = null);

/// <summary>
/// People and departments, kept by administrators. Every change is journaled with who, when and the row before and
/// after; a new account or a reset gets a one-time password that must be changed at the first sign-in.
/// </summary>
public sealed class Administration(GovFlowDb db, SessionStore sessions, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates a department.</summary>
    public async Task<DepartmentRecord> CreateDepartmentAsync(DepartmentInput input, string actor, CancellationToken cancellationToken = default)
    {
        var row = new DepartmentRecord { Id = Guid.CreateVersion7().ToString("N") };
        await ApplyAsync(row, input, cancellationToken);
        db.Departments.Add(row);
        Journal("department", row.Id, "created", null, row, actor);
        await SaveAsync($"已有名为“{row.Name}”的部门", cancellationToken);
        return row;
    }

    /// <summary>Changes a department (its name cannot change while users or cases use it under that name).</summary>
    public async Task<DepartmentRecord> UpdateDepartmentAsync(string id, DepartmentInput input, string actor, CancellationToken cancellationToken = default)
    {
        var row = await db.Departments.FindAsync([id], cancellationToken) ?? throw new NotFoundException("没有这个部门");
        var before = Snapshot(row);
        if (input.Name?.Trim() is { Length: > 0 } name && name != row.Name && await db.Users.AnyAsync(u => u.Department == row.Name, cancellationToken))
            throw new InputException("name", "该部门已有人员，不能改名；请新建部门后调整人员");
        await ApplyAsync(row, input, cancellationToken);
        if (row.ParentId == row.Id) throw new InputException("parentId", "部门不能隶属于自己");
        Journal("department", row.Id, row.Active ? "updated" : "disabled", before, row, actor);
        await SaveAsync($"已有名为“{row.Name}”的部门", cancellationToken);
        return row;
    }

    /// <summary>Creates a user with a one-time password, which is returned once and never stored in clear.</summary>
    public async Task<(UserRecord User, string Password)> CreateUserAsync(UserInput input, string actor, CancellationToken cancellationToken = default)
    {
        var name = input.UserName?.Trim() ?? "";
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z][A-Za-z0-9_.-]{2,31}$"))
            throw new InputException("userName", "用户名为 3 至 32 位字母、数字、点、下划线或连字符，以字母开头");
        if (await db.Users.AnyAsync(u => u.UserName == name, cancellationToken)) throw new InputException("userName", $"用户名“{name}”已被使用");
        var password = PasswordPolicy.OneTime();
        var row = new UserRecord { UserName = name, PasswordHash = Passwords.Hash(password), MustChangePassword = true };
        await ApplyAsync(row, input, cancellationToken);
        db.Users.Add(row);
        Journal("user", name, "created", null, row, actor);
        await SaveAsync($"用户名“{name}”已被使用", cancellationToken);
        return (row, password);
    }

    /// <summary>Changes a user; disabling one ends their sessions.</summary>
    public async Task<UserRecord> UpdateUserAsync(string userName, UserInput input, string actor, CancellationToken cancellationToken = default)
    {
        var row = await db.Users.FindAsync([userName], cancellationToken) ?? throw new NotFoundException("没有这个用户");
        if (userName == actor && (input.Active == false || (input.Role != Roles.Admin && input.OtherRoles?.Contains(Roles.Admin) != true)))
            throw new InputException("role", "不能停用自己或取消自己的管理员角色");
        var before = Snapshot(row);
        await ApplyAsync(row, input, cancellationToken);
        Journal("user", userName, row.Active ? "updated" : "disabled", before, row, actor);
        await SaveAsync("该用户刚被他人修改，请刷新", cancellationToken);
        if (!row.Active) await sessions.RemoveAllAsync(db, userName, cancellationToken);
        return row;
    }

    /// <summary>Gives a user a new one-time password and ends their sessions.</summary>
    public async Task<string> ResetPasswordAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var row = await db.Users.FindAsync([userName], cancellationToken) ?? throw new NotFoundException("没有这个用户");
        var password = PasswordPolicy.OneTime();
        row.PasswordHash = Passwords.Hash(password);
        row.MustChangePassword = true;
        Journal("user", userName, "password-reset", null, null, actor);
        await SaveAsync("该用户刚被他人修改，请刷新", cancellationToken);
        await sessions.RemoveAllAsync(db, userName, cancellationToken);
        return password;
    }

    /// <summary>A user's own change of password (after a one-time password, or any time); ends their other sessions.</summary>
    public async Task ChangePasswordAsync(string userName, string? current, string? next, string? session, CancellationToken cancellationToken = default)
    {
        var row = await db.Users.FindAsync([userName], cancellationToken) ?? throw new NotFoundException("没有这个用户");
        if (string.IsNullOrEmpty(current) || !Passwords.Verify(current, row.PasswordHash)) throw new InputException("currentPassword", "当前密码不正确");
        if (PasswordPolicy.Problem(next, userName) is { } problem) throw new InputException("newPassword", problem);
        if (next == current) throw new InputException("newPassword", "新密码不能与当前密码相同");
        row.PasswordHash = Passwords.Hash(next!);
        row.MustChangePassword = false;
        Journal("user", userName, "password-changed", null, null, userName);
        await SaveAsync("请重试", cancellationToken);
        await sessions.RemoveAllAsync(db, userName, cancellationToken, except: session);
    }

    /// <summary>The first administrator, from the command line: the one way to create one without signing in.</summary>
    public async Task<string> CreateFirstAdminAsync(string userName, CancellationToken cancellationToken = default)
    {
        var (_, password) = await CreateUserAsync(new UserInput(userName, "系统管理员", Roles.Admin, null, false, null, true), "create-admin", cancellationToken);
        return password;
    }

    private async Task ApplyAsync(DepartmentRecord row, DepartmentInput input, CancellationToken cancellationToken)
    {
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) throw new InputException("name", "请填写部门全称（不超过 200 字）");
        var uscc = string.IsNullOrWhiteSpace(input.Uscc) ? null : input.Uscc.Trim().ToUpperInvariant();
        if (uscc != null && !CreditCode.IsValid(uscc)) throw new InputException("uscc", "统一社会信用代码不正确");
        if (input.ParentId is { Length: > 0 } parent && !await db.Departments.AnyAsync(d => d.Id == parent, cancellationToken))
            throw new InputException("parentId", "上级部门不存在");
        row.Name = name;
        row.Uscc = uscc;
        row.ParentId = string.IsNullOrEmpty(input.ParentId) ? null : input.ParentId;
        row.IsHall = input.IsHall;
        row.Active = input.Active ?? true;
        var region = string.IsNullOrWhiteSpace(input.RegionCode) ? null : input.RegionCode.Trim();
        if (region != null && !AcceptanceScope.IsRegionCode(region)) throw new InputException("regionCode", "行政区划代码为 6 位数字（如 440305 南山区）");
        if (region != null && string.IsNullOrWhiteSpace(input.RegionName)) throw new InputException("regionName", "请填写行政区划名称（如 深圳市南山区）");
        row.RegionCode = region;
        row.RegionName = region is null ? null : input.RegionName!.Trim() is { Length: <= 100 } n ? n : throw new InputException("regionName", "行政区划名称不超过 100 字");
    }

    private async Task ApplyAsync(UserRecord row, UserInput input, CancellationToken cancellationToken)
    {
        var role = input.Role?.Trim() ?? "";
        if (!Roles.All.Contains(role)) throw new InputException("role", $"角色须为：{string.Join("、", Roles.Names.Select(r => $"{r.Value}（{r.Key}）"))}");
        var display = input.DisplayName?.Trim();
        if (string.IsNullOrEmpty(display) || display.Length > 50) throw new InputException("displayName", "请填写姓名（不超过 50 字）");
        var department = string.IsNullOrWhiteSpace(input.Department) ? null : input.Department.Trim();
        if (role is Roles.Window or Roles.Reviewer or Roles.Policy && department is null) throw new InputException("department", "窗口、审批和政策人员须属于一个部门");
        if (department != null && !await db.Departments.AnyAsync(d => d.Name == department && d.Active, cancellationToken))
            throw new InputException("department", $"没有在用的部门“{department}”，请先在部门管理中添加");
        if (role == Roles.Window && department != null && !await db.Departments.AnyAsync(d => d.Name == department && d.IsHall, cancellationToken))
            throw new InputException("department", "窗口人员须属于一个大厅（部门设为“大厅”）");
        if (role == Roles.Applicant && string.IsNullOrWhiteSpace(input.IdNumber)) throw new InputException("idNumber", "申请人须有证件号码");
        var others = (input.OtherRoles ?? []).Select(r => r?.Trim() ?? "").Where(r => r != role).Distinct().ToList();
        if (others.FirstOrDefault(r => !Roles.Additional.Contains(r)) is { } stray)
            throw new InputException("otherRoles", $"“{(Roles.Names.TryGetValue(stray, out var n) ? n : stray)}”不能兼任：只能兼任{string.Join("、", Roles.Additional.Select(r => Roles.Names[r]))}");
        if (role == Roles.Applicant && others.Count > 0) throw new InputException("otherRoles", "申请人账号不能兼任工作人员角色");
        // 三员分立: whoever administers accounts must not also be the one who audits what was done with them.
        if (role is Roles.Admin or Roles.Auditor && others.Contains(role == Roles.Admin ? Roles.Auditor : Roles.Admin) || others.Contains(Roles.Admin) && others.Contains(Roles.Auditor))
            throw new InputException("otherRoles", "系统管理员与监察审计人员不能由同一人兼任（三员分立）");
        row.DisplayName = display;
        row.Role = role;
        row.OtherRoles = others.Count == 0 ? null : string.Join(',', others);
        row.Department = department;
        row.IsHead = input.IsHead && department != null;
        // The administrator sees the number masked: the masked form sent back unchanged keeps the number it masks.
        var unchanged = row.IdNumber is { } current && input.IdNumber?.Trim() == PersonalData.MaskIdNumber("111", current);
        row.IdNumber = unchanged ? row.IdNumber : string.IsNullOrWhiteSpace(input.IdNumber) ? null : input.IdNumber.Trim().ToUpperInvariant();
        row.Active = input.Active ?? true;
    }

    private void Journal(string entity, string key, string action, string? before, object? after, string actor) =>
        db.AdminChanges.Add(new AdminChange
        {
            Id = Guid.CreateVersion7().ToString("N"), At = clock.GetUtcNow(), Actor = actor, Entity = entity, Key = key, Action = action,
            Before = before, After = after is null ? null : Snapshot(after)
        });

    // The journaled form of a row: never a password hash, and an applicant's ID number masked (the log is read by
    // administrators, who have no reason to see it whole).
    private static string Snapshot(object row) => row switch
    {
        UserRecord u => JsonSerializer.Serialize(new { u.UserName, u.DisplayName, u.Role, OtherRoles = Roles.Parse(u.OtherRoles), u.Department, u.IsHead, IdNumber = u.IdNumber is null ? null : PersonalData.MaskIdNumber("111", u.IdNumber), u.Active }, Json),
        _ => JsonSerializer.Serialize(row, Json)
    };

    private async Task SaveAsync(string conflict, CancellationToken cancellationToken)
    {
        try { await db.CommitAsync(cancellationToken); }
        catch (DbUpdateException) { throw new ConflictException(conflict); }
    }
}
