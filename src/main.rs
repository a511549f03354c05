//! The `rehearse` binary: hands the arguments to the library and exits with its code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(rehearse::main(std::env::args_os()))
}
