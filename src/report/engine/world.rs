//! The typst World: one in-memory main file, virtual chart files, embedded fonts.

use super::fonts::FontSet;
use std::collections::HashMap;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// A single-document world.
pub struct ReportWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

/// File id of a path inside the project root.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("valid virtual path");
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

impl ReportWorld {
    /// `markup` is the main document; `files` are served by path (e.g. `/charts/a.svg`).
    pub fn new(markup: String, files: Vec<(String, Vec<u8>)>, fonts: &FontSet, today: Datetime) -> Self {
        let main = Source::new(file_id("/main.typ"), markup);
        let files = files.into_iter().map(|(p, b)| (file_id(&p), Bytes::new(b))).collect();
        Self {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(fonts.book.clone()),
            fonts: fonts.fonts.clone(),
            main,
            files,
            today,
        }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(std::path::PathBuf::from(format!("{id:?}"))))
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(std::path::PathBuf::from(format!("{id:?}"))))
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
