//! Walking a paginated list operation to its end, as a stream of pages or of items, generic over the
//! operation: a generated request builder implements [`Paginated`]; [`PaginateExt`] does the walking.
//!
//! [`Pages`] and [`Items`] are `Unpin` and have an inherent `next().await`, so walking needs neither
//! `pin!` nor a futures crate; they are also `futures::Stream`s for those who combine streams.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, Stream};

use super::response::ApiResponse;

/// A list request that can be asked for any page.
pub trait Paginated: Clone + Send + Sized {
    /// The answer body of one page.
    type Page: Send;
    /// One item of a page.
    type Item: Send;
    /// The documented headers of an answer.
    type Headers: Send;
    /// The operation's error.
    type Error: Send;

    /// The page number set on this request, if any (the service starts at 1).
    fn page_number(&self) -> Option<i64>;
    /// The page size set on this request, if any.
    fn page_size(&self) -> Option<i64>;
    /// The same request for another page.
    fn with_page(self, page: i64) -> Self;
    /// Sends the request.
    fn send_page(self) -> impl Future<Output = Result<ApiResponse<Self::Page, Self::Headers>, Self::Error>> + Send;
    /// The items of a page, and the total count the service reported.
    fn into_items(page: Self::Page) -> (Vec<Self::Item>, Option<i64>);
}

/// Where a walk is.
enum Walk<R> {
    Next { request: R, page: i64, seen: i64 },
    Done,
}

/// A page of a walk: its items, the total the service reported, and the answer it came in (its body
/// taken).
#[derive(Debug)]
#[non_exhaustive]
pub struct Page<T, H> {
    /// The page number (from 1).
    pub number: i64,
    /// The page's items.
    pub items: Vec<T>,
    /// The total count, when the service sent it.
    pub total_count: Option<i64>,
    /// The answer's status and headers (its body is `()`; the items are above).
    pub response: ApiResponse<(), H>,
}

/// A boxed stream: `Unpin`, whatever the walk's future holds.
type BoxStream<'a, T> = Pin<Box<dyn Stream<Item = T> + Send + 'a>>;

/// One page of a walk of `R`, or its error.
type PageResult<R> = Result<Page<<R as Paginated>::Item, <R as Paginated>::Headers>, <R as Paginated>::Error>;

/// The pages of a walk ([`PaginateExt::pages`]): `while let Some(page) = pages.next().await { .. }`.
#[must_use = "a walk does nothing until its pages are asked for"]
pub struct Pages<'a, R: Paginated> {
    stream: BoxStream<'a, PageResult<R>>,
}

impl<R: Paginated> Pages<'_, R> {
    /// The next page, `None` after the last one (or after an error, which is yielded once).
    pub async fn next(&mut self) -> Option<PageResult<R>> {
        std::future::poll_fn(|cx| self.stream.as_mut().poll_next(cx)).await
    }
}

impl<R: Paginated> Stream for Pages<'_, R> {
    type Item = PageResult<R>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.as_mut().poll_next(cx)
    }
}

impl<R: Paginated> std::fmt::Debug for Pages<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

/// The items of every page of a walk ([`PaginateExt::items`]), in order.
#[must_use = "a walk does nothing until its items are asked for"]
pub struct Items<'a, R: Paginated> {
    stream: BoxStream<'a, Result<R::Item, R::Error>>,
}

impl<R: Paginated> Items<'_, R> {
    /// The next item, `None` after the last one (or after an error, which is yielded once).
    pub async fn next(&mut self) -> Option<Result<R::Item, R::Error>> {
        std::future::poll_fn(|cx| self.stream.as_mut().poll_next(cx)).await
    }

    /// Every item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<R::Item>, R::Error> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<R: Paginated> Stream for Items<'_, R> {
    type Item = Result<R::Item, R::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.as_mut().poll_next(cx)
    }
}

impl<R: Paginated> std::fmt::Debug for Items<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

/// Walks the pages and items of a [`Paginated`] request.
///
/// The shipped `atlas-admin` has no list operation yet, so this is not compiled here; with one added
/// (`listOrgApiKeys`, as `tests/key-rotation` generates it, where this runs against the local Atlas):
///
/// ```ignore
/// use atlas_admin::PaginateExt;
///
/// let mut pages = client.list_org_api_keys(&org).items_per_page(100).pages();
/// while let Some(page) = pages.next().await {
///     let page = page?;
///     println!("page {}: {} keys of {:?}", page.number, page.items.len(), page.total_count);
/// }
/// let every_key = client.list_org_api_keys(&org).items().try_collect().await?;
/// ```
pub trait PaginateExt: Paginated {
    /// Every page from the request's page (1 when unset) to the last: the walk ends at an empty page, a
    /// page shorter than the page size, or when the items seen reach the total count. An error ends it
    /// after being yielded.
    fn pages<'a>(self) -> Pages<'a, Self>
    where
        Self: 'a,
    {
        let first = self.page_number().unwrap_or(1).max(1);
        let stream = stream::unfold(Walk::Next { request: self, page: first, seen: 0 }, |walk| async move {
            let Walk::Next { request, page, seen } = walk else { return None };
            let size = request.page_size();
            let this = request.clone().with_page(page);
            match this.send_page().await {
                Err(error) => Some((Err(error), Walk::Done)),
                Ok(answer) => {
                    let (answer, body) = answer.split_body();
                    let (items, total) = Self::into_items(body);
                    let count = items.len() as i64;
                    let seen = seen + count;
                    let last =
                        count == 0 || size.is_some_and(|size| count < size) || total.is_some_and(|total| seen >= total);
                    let next = if last { Walk::Done } else { Walk::Next { request, page: page + 1, seen } };
                    Some((Ok(Page { number: page, items, total_count: total, response: answer }), next))
                }
            }
        });
        Pages { stream: Box::pin(stream) }
    }

    /// Every item of every page, in order.
    fn items<'a>(self) -> Items<'a, Self>
    where
        Self: 'a,
    {
        use futures_util::StreamExt as _;
        let stream = self.pages().flat_map(|page| {
            let items: Vec<Result<Self::Item, Self::Error>> = match page {
                Ok(page) => page.items.into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(items)
        });
        Items { stream: Box::pin(stream) }
    }
}

impl<T: Paginated> PaginateExt for T {}
