/// The context of a program at attach type `A`: dereferences to the context
/// struct, and offers the helpers available at `A` as safe methods.
pub struct Context<'a, A: AttachPoint> {
    context: &'a mut A::Context,
    attach: PhantomData<A>,
}

impl<'a, A: AttachPoint> Context<'a, A> {
    /// Wraps a context, as a host test does with one it built.
    #[inline(always)]
    pub fn new(context: &'a mut A::Context) -> Self {
        Self {
            context,
            attach: PhantomData,
        }
    }

    /// Wraps the context pointer an entry point receives.
    ///
    /// # Safety
    ///
    /// `context` must be valid, aligned and not accessed through another
    /// pointer for `'a`.
    #[inline(always)]
    pub unsafe fn from_raw(context: *mut A::Context) -> Self {
        Self::new(unsafe { &mut *context })
    }

    /// The context struct itself.
    #[inline(always)]
    pub fn into_inner(self) -> &'a mut A::Context {
        self.context
    }
}

impl<A: AttachPoint> Deref for Context<'_, A> {
    type Target = A::Context;
    #[inline(always)]
    fn deref(&self) -> &A::Context {
        self.context
    }
}

impl<A: AttachPoint> DerefMut for Context<'_, A> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut A::Context {
        self.context
    }
}

impl<A: AttachPoint> core::fmt::Debug for Context<'_, A>
where
    A::Context: core::fmt::Debug,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Context")
            .field("attach", &A::NAME)
            .field("context", &*self.context)
            .finish()
    }
}
