import Foundation

/// Keeps secrets in memory out of core dumps and away from other processes of the same user.
package enum ProcessHardening {
    /// `prctl` options from `<linux/prctl.h>`.
    private static let getDumpable: Int32 = 3
    private static let setDumpable: Int32 = 4

    /// Sets the core-file size limit to 0 and, on Linux, marks the process non-dumpable, which also makes
    /// `/proc/<pid>` files owned by root and refuses `ptrace` attachment by other processes of the user.
    /// Call it first thing in `main`.
    /// - Returns: one warning per step that failed; empty when both took effect.
    @discardableResult
    package static func apply() -> [String] {
        var warnings: [String] = []
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        if setrlimit(coreResource, &limit) != 0 {
            warnings.append("Disabling core dumps failed: \(String(cString: strerror(errno))).")
        }
        #if os(Linux)
        if let prctl = prctlFunction() {
            if prctl(setDumpable, 0, 0, 0, 0) != 0 {
                warnings.append("Marking the process non-dumpable failed: \(String(cString: strerror(errno))).")
            }
        } else {
            warnings.append("Marking the process non-dumpable failed: prctl is not available.")
        }
        #endif
        return warnings
    }

    /// True when the process is non-dumpable and its core-file limit is 0.
    package static var isHardened: Bool {
        var limit = rlimit()
        guard getrlimit(coreResource, &limit) == 0, limit.rlim_cur == 0 else { return false }
        #if os(Linux)
        guard let prctl = prctlFunction() else { return false }
        return prctl(getDumpable, 0, 0, 0, 0) == 0
        #else
        return true
        #endif
    }

    #if os(Linux)
    private static let coreResource = __rlimit_resource_t(RLIMIT_CORE.rawValue)
    #else
    private static let coreResource = RLIMIT_CORE
    #endif

    private typealias PrctlFunction = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32

    /// Looks up `prctl` at run time, because Swift does not import C variadic functions. Calling it through a
    /// fixed five-argument type is sound on x86-64 and AArch64 Linux, where a variadic callee reads integer
    /// arguments from the same registers as a fixed one.
    private static func prctlFunction() -> PrctlFunction? {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "prctl") else { return nil }
        return unsafeBitCast(symbol, to: PrctlFunction.self)
    }
}
