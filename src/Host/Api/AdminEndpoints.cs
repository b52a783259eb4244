using GovFlow.Host.Api.Contracts;
using GovFlow.Host.People;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>Administration of people, departments and halls (系统管理), for the admin role only.</summary>
public static class AdminEndpoints
{
    /// <summary>Maps /api/admin.</summary>
    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Administration").RequireAuthorization(p => p.RequireRole(Roles.Admin));
        admin.MapGet("/departments", Departments);
        admin.MapPost("/departments", CreateDepartment);
        admin.MapPut("/departments/{id}", UpdateDepartment);
        admin.MapGet("/users", Users);
        admin.MapPost("/users", CreateUser);
        admin.MapPut("/users/{userName}", UpdateUser);
        admin.MapPost("/users/{userName}/reset-password", ResetPassword);
        admin.MapGet("/changes", Changes);
        admin.MapGet("/roles", RolesOf);
    }

    // The form offers what the host accepts: every post, and which roles may be held besides one.
    private static Ok<List<RoleView>> RolesOf() =>
        TypedResults.Ok(Roles.All.Select(r => new RoleView(r, Roles.Names[r], Roles.Additional.Contains(r))).ToList());

    private static async Task<Ok<List<DepartmentView>>> Departments(GovFlowDb db)
    {
        var counts = await db.Users.Where(u => u.Department != null).GroupBy(u => u.Department!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count);
        var rows = await db.Departments.AsNoTracking().OrderBy(d => d.Name).ToListAsync();
        return TypedResults.Ok(rows.Select(d => View(d, counts.GetValueOrDefault(d.Name))).ToList());
    }

    private static async Task<Created<DepartmentView>> CreateDepartment(DepartmentInput body, HttpContext http, Administration admin)
    {
        var row = await admin.CreateDepartmentAsync(body, Caller.From(http.User).UserName, http.RequestAborted);
        return TypedResults.Created($"/api/admin/departments/{row.Id}", View(row, 0));
    }

    private static async Task<Ok<DepartmentView>> UpdateDepartment(string id, DepartmentInput body, HttpContext http, Administration admin, GovFlowDb db)
    {
        var row = await admin.UpdateDepartmentAsync(id, body, Caller.From(http.User).UserName, http.RequestAborted);
        return TypedResults.Ok(View(row, await db.Users.CountAsync(u => u.Department == row.Name)));
    }

    private static async Task<Ok<List<AdminUserView>>> Users(string? department, GovFlowDb db)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrEmpty(department)) query = query.Where(u => u.Department == department);
        return TypedResults.Ok((await query.OrderBy(u => u.UserName).Take(2000).ToListAsync()).Select(View).ToList());
    }

    private static async Task<Created<OneTimePassword>> CreateUser(UserInput body, HttpContext http, Administration admin)
    {
        var (user, password) = await admin.CreateUserAsync(body, Caller.From(http.User).UserName, http.RequestAborted);
        return TypedResults.Created($"/api/admin/users/{user.UserName}", new OneTimePassword(View(user), password));
    }

    private static async Task<Ok<AdminUserView>> UpdateUser(string userName, UserInput body, HttpContext http, Administration admin) =>
        TypedResults.Ok(View(await admin.UpdateUserAsync(userName, body, Caller.From(http.User).UserName, http.RequestAborted)));

    private static async Task<Ok<OneTimePassword>> ResetPassword(string userName, HttpContext http, Administration admin, GovFlowDb db)
    {
        var password = await admin.ResetPasswordAsync(userName, Caller.From(http.User).UserName, http.RequestAborted);
        return TypedResults.Ok(new OneTimePassword(View((await db.Users.AsNoTracking().FirstAsync(u => u.UserName == userName))), password));
    }

    private static async Task<Ok<List<AdminChangeView>>> Changes(string? key, GovFlowDb db)
    {
        var query = db.AdminChanges.AsNoTracking();
        if (!string.IsNullOrEmpty(key)) query = query.Where(c => c.Key == key);
        var rows = await query.OrderByDescending(c => c.Id).Take(500).ToListAsync();
        return TypedResults.Ok(rows.Select(c => new AdminChangeView(c.Id, c.At, c.Actor, c.Entity, c.Key, c.Action, Masked(c.Before), Masked(c.After))).ToList());
    }

    private static DepartmentView View(DepartmentRecord d, int users) => new(d.Id, d.Name, d.Uscc, d.ParentId, d.IsHall, d.Active, users, d.RegionCode, d.RegionName);

    // An applicant's ID number is masked here as everywhere outside the audited reveal (an update keeps it when sent back masked).
    private static AdminUserView View(UserRecord u) => new(u.UserName, u.DisplayName, u.Role, u.Department, u.IsHead,
        u.IdNumber is null ? null : PersonalData.MaskIdNumber("111", u.IdNumber), u.Active, u.MustChangePassword, Roles.Parse(u.OtherRoles));

    private static string? Masked(string? json) => json is null ? null : PersonalData.MaskText(json);
}
