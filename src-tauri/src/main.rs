fn main() {
    baton_app::run()
}
